import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { ZONE } from '../../clock.ts';
import type { ListingEssentials } from './listing-essentials.ts';

/**
 * Sizes follow the RNIB's clear print guidance: normal print at least 12 pt (14 pt headings), large print at least
 * 16 pt throughout; a plain sans-serif face (Helvetica), black on white, left-aligned, no italics or capitals for
 * emphasis, generous line spacing and a rule between listings.
 */
const STYLES = {
  normal: { heading: 20, title: 15, body: 12, qr: 86, lineGap: 3, gap: 14 },
  large: { heading: 24, title: 20, body: 16, qr: 100, lineGap: 4, gap: 16 },
} as const;

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 42;

export type LeafletPrint = keyof typeof STYLES;

export type Leaflet = {
  pdf: Buffer;
  /** The listings on the page, in the list's order. */
  included: ListingEssentials[];
  /** Those that did not fit on one page, from the first that did not on. */
  omitted: ListingEssentials[];
};

/** The file name a leaflet is given: it says what it is and nothing about who it is for. */
export function leafletFileName(print: LeafletPrint): string {
  return print === 'large' ? 'signpost-leaflet-large-print.pdf' : 'signpost-leaflet.pdf';
}

// The PDF standard fonts read WinAnsi (Latin-1 and a few more): anything else loses its accent or is left out.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const inWinAnsi = (c: string) => {
  const code = c.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c);
};
const LOOKALIKES: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', '−': '-', '‐': '-', '‑': '-' };
export function toPrintable(text: string): string {
  let out = '';
  for (const char of text.replace(/\s+/g, ' ').normalize('NFC')) {
    if (inWinAnsi(char)) out += char;
    else if (LOOKALIKES[char]) out += LOOKALIKES[char];
    else {
      const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
      if (bare && [...bare].every(inWinAnsi)) out += bare;
    }
  }
  return out.trim();
}

/**
 * A listing's lines. Large print, to fit three listings on a page, gives the venue and postcode rather than the full
 * address (its page has it) and leaves out the source's schedule wording and an e-mail beside a phone number.
 */
function detailLines(l: ListingEssentials, print: LeafletPrint): string[] {
  const lines = [
    l.paused ? 'Closed for now: please call before going.' : null,
    l.when ? `When: ${l.when}${l.schedule && print === 'normal' ? ` (${l.schedule})` : ''}` : null,
    (print === 'large' ? l.place : (l.address ?? l.place))
      ? `Where: ${print === 'large' ? l.place : (l.address ?? l.place)}`
      : null,
    l.cost ? `Cost: ${l.cost}` : null,
    l.howToJoin ? `How to join: ${l.howToJoin}` : null,
    l.phone ? `Phone: ${l.phone}` : null,
    l.email && !(l.phone && print === 'large') ? `Email: ${l.email}` : null,
    `Web: ${l.pageUrl}`,
  ];
  return lines.filter((x): x is string => !!x).map(toPrintable);
}

/** Draws a QR code as filled squares (one rectangle per run of dark modules), with its four-module quiet zone. */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, side: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const m = side / (n + 8);
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      doc.rect(x + (start + 4) * m, y + (row + 4) * m, (col - start) * m, m);
    }
  }
  doc.fillColor('#000000').fill();
  doc.link(x, y, side, side, url);
}

/**
 * A one-page A4 leaflet of the listings: for each, its essentials and a QR code to its page. Listings are kept in
 * order while they fit on the page. Nothing about the person it is for is asked for or written.
 */
export async function renderLeaflet(
  listings: ListingEssentials[],
  options: { print: LeafletPrint; now: Date },
): Promise<Leaflet> {
  const style = STYLES[options.print];
  const made = DateTime.fromJSDate(options.now, { zone: ZONE }).setLocale('en-GB');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    autoFirstPage: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: 'Activities and services near you',
      Creator: 'Signpost',
      Producer: 'Signpost',
      CreationDate: options.now,
      ModDate: options.now,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const width = A4.width - 2 * MARGIN;
  const textWidth = width - style.qr - 16;
  const body = { width: textWidth, align: 'left' as const, lineGap: style.lineGap };
  const footer = toPrintable(
    `From Signpost, ${made.toFormat('d LLLL yyyy')}. Details can change: check before you go.`,
  );
  doc.font('Helvetica').fontSize(style.body);
  const footerHeight = doc.heightOfString(footer, { width, lineGap: style.lineGap });
  const bottom = A4.height - MARGIN - footerHeight - style.gap;

  doc.fillColor('#000000');
  doc
    .font('Helvetica-Bold')
    .fontSize(style.heading)
    .text('Activities and services', MARGIN, MARGIN, { width, align: 'left' });
  doc.moveDown(0.2);
  doc.font('Helvetica').fontSize(style.body).text('Scan a square code with a phone camera for the latest details.', {
    width,
    align: 'left',
    lineGap: style.lineGap,
  });
  let y = doc.y + style.gap;

  const included: ListingEssentials[] = [];
  let index = 0;
  for (; index < listings.length; index++) {
    const listing = listings[index]!;
    const title = toPrintable(listing.title);
    const lines = detailLines(listing, options.print);
    doc.font('Helvetica-Bold').fontSize(style.title);
    const titleHeight = doc.heightOfString(title, { width: textWidth, lineGap: style.lineGap });
    const linesHeight = lines.reduce((h, line, i) => {
      doc.font(listing.paused && i === 0 ? 'Helvetica-Bold' : 'Helvetica').fontSize(style.body);
      return h + doc.heightOfString(line, body);
    }, 0);
    const height = Math.max(titleHeight + 4 + linesHeight, style.qr);
    if (y + height > bottom) break;

    if (included.length > 0) {
      doc
        .moveTo(MARGIN, y - style.gap / 2)
        .lineTo(MARGIN + width, y - style.gap / 2)
        .lineWidth(1)
        .strokeColor('#000000')
        .stroke();
    }
    doc
      .fillColor('#000000')
      .font('Helvetica-Bold')
      .fontSize(style.title)
      .text(title, MARGIN, y, { width: textWidth, align: 'left', lineGap: style.lineGap });
    doc.fontSize(style.body);
    doc.y += 4;
    for (const line of lines) {
      // The one warning a resident must not miss is in bold (clear print: bold, not capitals or italics).
      doc.font(listing.paused && line === lines[0] ? 'Helvetica-Bold' : 'Helvetica').text(line, MARGIN, doc.y, body);
    }
    drawQr(doc, listing.pageUrl, MARGIN + width - style.qr, y, style.qr);
    y += height + style.gap;
    included.push(listing);
  }

  doc
    .fillColor('#000000')
    .font('Helvetica')
    .fontSize(style.body)
    .text(footer, MARGIN, A4.height - MARGIN - footerHeight, { width, align: 'left', lineGap: style.lineGap });
  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), included, omitted: listings.slice(index) };
}
