import type { App } from '@slack/bolt';
import {
  ADD_ENTRY_SHORTCUT,
  ENTRY_MODAL_CALLBACK,
  SHARE_LISTING_SHORTCUT,
  SLASH_COMMAND,
} from '../slack-action-ids.ts';
import { addEntryShortcut, blockActions, HANDLED_ACTIONS } from './actions.ts';
import { signpostCommand } from './commands.ts';
import type { ListenerDeps, Registered } from './deps.ts';
import { entryModalSubmit } from './entry-modal-flow.ts';
import { appHomeOpened, messageListeners, uninstallListeners } from './events.ts';
import { shareMessageShortcut } from './share.ts';
import { linkShared } from './unfurl.ts';

/** Registers every listener and returns what was registered (checked against manifest.json by a test). */
export function registerListeners(app: App, deps: ListenerDeps): Registered {
  const registered: Registered = { commands: [], events: [], actions: [...HANDLED_ACTIONS], views: [], shortcuts: [] };
  const messages = messageListeners(deps);

  app.command(SLASH_COMMAND, signpostCommand(deps));
  registered.commands.push(SLASH_COMMAND);

  app.event('app_mention', messages.appMention);
  app.event('message', messages.directMessage);
  app.event('app_home_opened', appHomeOpened(deps));
  const uninstall = uninstallListeners(deps);
  app.event('app_uninstalled', uninstall.appUninstalled);
  app.event('tokens_revoked', uninstall.tokensRevoked);
  registered.events.push('app_mention', 'message', 'app_home_opened', 'app_uninstalled', 'tokens_revoked');
  if (deps.listings) {
    app.event('link_shared', linkShared({ listings: deps.listings, logger: deps.logger, queue: deps.queue }));
    registered.events.push('link_shared');
    app.shortcut(
      { type: 'message_action', callback_id: SHARE_LISTING_SHORTCUT },
      shareMessageShortcut({ listings: deps.listings, logger: deps.logger, queue: deps.queue }),
    );
    registered.shortcuts.push(SHARE_LISTING_SHORTCUT);
  }

  // One dispatcher for every button: unknown ids are acknowledged and logged rather than left to time out.
  app.action({ type: 'block_actions' }, blockActions(deps));
  app.view(ENTRY_MODAL_CALLBACK, entryModalSubmit(deps));
  registered.views.push(ENTRY_MODAL_CALLBACK);
  app.shortcut(ADD_ENTRY_SHORTCUT, addEntryShortcut(deps));
  registered.shortcuts.push(ADD_ENTRY_SHORTCUT);
  return registered;
}
