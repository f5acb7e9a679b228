import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** poppler-utils and zbar-tools, which scripts/test.sh installs when missing. */
function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        `${tool} is missing: run the tests with \`npm test\`, which installs poppler-utils and zbar-tools`,
      );
    throw error;
  }
}

function withFile<T>(pdf: Uint8Array, fn: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-pdf-'));
  try {
    const file = path.join(dir, 'leaflet.pdf');
    fs.writeFileSync(file, pdf);
    return fn(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text as pdftotext reads it, whitespace (line ends, wrapping) collapsed to single spaces. */
export function pdfText(pdf: Uint8Array): string {
  return withFile(pdf, (file) => run('pdftotext', ['-layout', file, '-']).replace(/\s+/g, ' ').trim());
}

export function pdfPages(pdf: Uint8Array): number {
  return withFile(pdf, (file) => Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))?.[1] ?? 0));
}

/** Page size in points, from pdfinfo ("595.28 x 841.89 pts (A4)"). */
export function pdfPageSize(pdf: Uint8Array): { width: number; height: number } {
  return withFile(pdf, (file) => {
    const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(run('pdfinfo', [file]));
    return { width: Number(m?.[1]), height: Number(m?.[2]) };
  });
}

/** The size, in points, of every run of text (pdftohtml's font specs at zoom 1, with the text set in each). */
export function pdfTextSizes(pdf: Uint8Array): { size: number; text: string }[] {
  return withFile(pdf, (file) => {
    const xml = run('pdftohtml', ['-xml', '-stdout', '-i', '-q', '-zoom', '1', file]);
    const sizes = new Map(
      [...xml.matchAll(/<fontspec id="(\d+)" size="(\d+(?:\.\d+)?)"/g)].map((m) => [m[1]!, Number(m[2])]),
    );
    return [...xml.matchAll(/<text [^>]*font="(\d+)"[^>]*>(.*?)<\/text>/g)].map((m) => ({
      size: sizes.get(m[1]!) ?? 0,
      text: m[2]!.replace(/<[^>]+>/g, ''),
    }));
  });
}

/** Every QR code on the page, decoded by zbarimg from the page rendered at 150 dpi. */
export function pdfQrCodes(pdf: Uint8Array): string[] {
  return withFile(pdf, (file, dir) => {
    run('pdftoppm', ['-r', '150', '-png', '-singlefile', file, path.join(dir, 'page')]);
    const out = run('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', path.join(dir, 'page.png')]);
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  });
}
