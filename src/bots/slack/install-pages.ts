/** The pages a browser sees during "Add to Slack". Names coming from Slack (the workspace's) are escaped. */

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1d}
a.button{display:inline-block;background:#1d4f91;color:#fff;padding:.6rem 1.1rem;border-radius:.3rem;text-decoration:none}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

/** GET /slack/install: what Signpost is and the "Add to Slack" link (Bolt has already set the state cookie). */
export function installPage(url: string): string {
  return page(
    'Add Signpost to Slack',
    `<p>Signpost helps frontline staff find community activities, training and support for residents, from Slack.</p>
<p>Installing it in your workspace (or your whole Enterprise Grid organisation) lets your staff ask with
<code>/signpost</code>, a mention or a direct message.</p>
<p><a class="button" href="${escapeHtml(url)}">Add to Slack</a></p>
<p><small>The link works for ten minutes in this browser.</small></p>`,
  );
}

export function installedPage(workspace: string | undefined): string {
  const where = workspace ? escapeHtml(workspace) : 'your workspace';
  return page(
    'Signpost is installed',
    `<p>Signpost is now installed in ${where}. Try <code>/signpost lunch club near Kentish Town</code> in any channel,
or open Signpost's App Home.</p>`,
  );
}

/** Why an install did not finish: a stale or foreign link, the person cancelled, or Slack refused the exchange. */
export function installFailedPage(reason: 'link' | 'cancelled' | 'slack'): string {
  const again = '<a href="/slack/install">the install page</a>';
  const body = {
    link: `<p>That install link has expired or was started in another browser. Please start again from ${again}.</p>`,
    cancelled: `<p>The installation was cancelled, so nothing has changed. You can start again from ${again}.</p>`,
    slack: `<p>Slack did not complete the installation. Please try again from ${again}; if it keeps failing, ask the server's administrator to check its log.</p>`,
  }[reason];
  return page('Signpost could not be installed', body);
}
