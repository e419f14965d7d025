// Lays out an official document as a PDF with pdfkit (a maintained PDF
// library; its standard Helvetica font metrics ship inside the npm package,
// so nothing is downloaded and no font file is embedded). A4, black on white
// only, so a photocopy of the notice board copy stays readable.
// Every page repeats the rally, the document's title, its status, number and
// time of publication, and ends with "page X of Y" and the publication's seal.
// A row is never split across pages: a row that does not fit starts the next
// page, under the table's header again. The signature block comes last.
import PDFDocument from 'pdfkit';
import type { DocTable, OfficialDocument } from './content.ts';

export interface DocumentMeta {
  rallyName: string;
  /** `6–7 February 2026`, venue… */
  rallyLine: string;
  status: 'provisional' | 'official' | 'draft';
  /** Document number as posted: `P2-5` (publication 2, document 5) or null for a draft. */
  number: string | null;
  /** Time of publication, rally-local with its zone: `2026-02-07 18:32 EST`. */
  publishedAt: string;
  /** The publication's seal hash (null for a draft). */
  sealHash: string | null;
  signed: boolean;
  /** The organiser's signature of the seal hash, when the publication is signed: the public key (one line) and the signature (base64). */
  signature?: { publicKeyLine: string; value: string } | null;
  /** The publication's number, for the `rallyhq verify` line (null for a draft). */
  publication?: number | null;
  /** Who signs: `Clerk of the Course`, `The Stewards`. */
  signatory: string;
}

const MARGIN = 40;
const PAGE = { width: 595.28, height: 841.89 };
const BODY_SIZE = 8.5;
const FOOTER_HEIGHT = 34;
const CELL_PAD = 2.5;

/** WinAnsi, the encoding of the standard PDF fonts: other characters lose their accent, or become `?`. */
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.includes(ch)) { out += ch; continue; }
    if (ch === '\n') { out += ch; continue; }
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += [...base].every((b) => { const x = b.codePointAt(0)!; return x >= 0x20 && x <= 0x7e; }) && base ? base : '?';
  }
  return out;
}

export async function renderPdf(doc: OfficialDocument, meta: DocumentMeta): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4', margin: MARGIN, bufferPages: true, autoFirstPage: false,
    info: { Title: toWinAnsi(`${meta.rallyName} - ${doc.title}`), Author: 'rallyhq', Subject: `${meta.status} ${doc.title}`, Creator: 'rallyhq' },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const t = (s: string) => toWinAnsi(s);
  const contentWidth = PAGE.width - 2 * MARGIN;
  const bottom = PAGE.height - MARGIN - FOOTER_HEIGHT;
  const statusText = meta.status === 'official' ? 'OFFICIAL' : meta.status === 'provisional' ? 'PROVISIONAL' : 'DRAFT - NOT PUBLISHED';

  const header = () => {
    pdf.addPage();
    let y = MARGIN;
    pdf.font('Helvetica-Bold').fontSize(13).fillColor('black').text(t(meta.rallyName), MARGIN, y, { width: contentWidth - 170 });
    y = pdf.y;
    pdf.font('Helvetica').fontSize(8.5).text(t(meta.rallyLine), MARGIN, y, { width: contentWidth - 170 });
    const leftEnd = pdf.y;
    // The status stamp: a box, black and white, on every page.
    const boxW = 160;
    pdf.lineWidth(1.5).rect(PAGE.width - MARGIN - boxW, MARGIN, boxW, 40).stroke();
    pdf.font('Helvetica-Bold').fontSize(meta.status === 'draft' ? 10 : 15).text(statusText, PAGE.width - MARGIN - boxW, MARGIN + (meta.status === 'draft' ? 7 : 5), { width: boxW, align: 'center' });
    pdf.font('Helvetica').fontSize(7.5).text(t(`Document ${meta.number ?? '-'}  ·  ${meta.publishedAt}`), PAGE.width - MARGIN - boxW, MARGIN + 26, { width: boxW, align: 'center' });
    y = Math.max(leftEnd, MARGIN + 46) + 4;
    pdf.font('Helvetica-Bold').fontSize(15).text(t(doc.title), MARGIN, y, { width: contentWidth });
    y = pdf.y;
    if (doc.subtitle) { pdf.font('Helvetica').fontSize(10).text(t(doc.subtitle), MARGIN, y, { width: contentWidth }); y = pdf.y; }
    y += 4;
    pdf.lineWidth(0.8).moveTo(MARGIN, y).lineTo(PAGE.width - MARGIN, y).stroke();
    return y + 6;
  };

  let y = header();
  const ensure = (h: number, onBreak?: () => void) => {
    if (y + h <= bottom) return;
    y = header();
    onBreak?.();
  };

  // Particulars: label and value, a decision's or a start list's details.
  for (const [label, value] of doc.particulars) {
    pdf.font('Helvetica').fontSize(10);
    const h = pdf.heightOfString(t(value), { width: contentWidth - 100 }) + 6;
    ensure(h);
    pdf.font('Helvetica-Bold').fontSize(10).text(t(label), MARGIN, y, { width: 95 });
    pdf.font('Helvetica').fontSize(10).text(t(value), MARGIN + 100, y, { width: contentWidth - 100 });
    y += h;
  }
  if (doc.particulars.length) y += 6;

  for (const table of doc.tables) drawTable(table);

  for (const note of doc.notes) {
    pdf.font('Helvetica-Oblique').fontSize(8);
    const h = pdf.heightOfString(t(note), { width: contentWidth }) + 4;
    ensure(h);
    pdf.text(t(note), MARGIN, y, { width: contentWidth });
    y += h;
  }

  // Signature block: never split, never alone at the top of a page without its rule.
  const sigH = 78;
  ensure(sigH + 10);
  y += 14;
  pdf.lineWidth(0.8).rect(MARGIN, y, contentWidth, sigH).stroke();
  pdf.font('Helvetica-Bold').fontSize(9).text(t(meta.signatory), MARGIN + 8, y + 6, { width: contentWidth / 2 });
  pdf.font('Helvetica').fontSize(8.5);
  const lineY = y + sigH - 22;
  const third = (contentWidth - 32) / 3;
  for (const [i, label] of ['Name', 'Signature', 'Date and time'].entries()) {
    const x = MARGIN + 8 + i * (third + 8);
    pdf.lineWidth(0.5).moveTo(x, lineY).lineTo(x + third, lineY).stroke();
    pdf.text(label, x, lineY + 3, { width: third });
  }
  y += sigH;

  // The seal in full under the signature block, so a reader can check the printed copy: rallyhq verify prints the same hash and key.
  if (meta.sealHash) {
    const lines = [
      `Seal (SHA-256): ${meta.sealHash}`,
      ...(meta.signature ? [`Signed by the organiser's Ed25519 key: ${meta.signature.publicKeyLine}`, `Signature: ${meta.signature.value}`] : ['Not signed with an organiser key.']),
      `Check: rallyhq verify <rally file> --publication ${meta.publication ?? 'n'} --server <this results server>${meta.signature ? ' --public-key <the organiser\'s public key>' : ''}`,
    ];
    pdf.font('Courier').fontSize(7);
    const h = lines.reduce((a, l) => a + pdf.heightOfString(t(l), { width: contentWidth - 16 }) + 1, 0) + 12;
    ensure(h + 6);
    y += 6;
    pdf.lineWidth(0.5).rect(MARGIN, y, contentWidth, h).stroke();
    let ly = y + 6;
    for (const l of lines) {
      pdf.font('Courier').fontSize(7).text(t(l), MARGIN + 8, ly, { width: contentWidth - 16 });
      ly += pdf.heightOfString(t(l), { width: contentWidth - 16 }) + 1;
    }
    y += h;
  }

  // Footers: page X of Y and the seal, on every page.
  const range = pdf.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    pdf.switchToPage(range.start + i);
    // NOTE: the footer sits in the bottom margin; without this pdfkit would start a new page to hold it.
    pdf.page.margins.bottom = 0;
    const fy = PAGE.height - MARGIN - FOOTER_HEIGHT + 10;
    pdf.lineWidth(0.5).moveTo(MARGIN, fy).lineTo(PAGE.width - MARGIN, fy).stroke();
    pdf.font('Helvetica').fontSize(7);
    const seal = meta.sealHash ? `Seal SHA-256 ${meta.sealHash}${meta.signed ? ' (signed by the organiser)' : ''} - check with: rallyhq verify` : 'Not published: no seal. Only a published document is official.';
    // NOTE: lineBreak false keeps pdfkit from adding a page when writing under the bottom margin.
    pdf.text(t(seal), MARGIN, fy + 5, { width: contentWidth - 80, lineBreak: false, ellipsis: true, height: 9 });
    pdf.font('Helvetica-Bold').fontSize(8).text(`page ${i + 1} of ${range.count}`, PAGE.width - MARGIN - 80, fy + 5, { width: 80, align: 'right', lineBreak: false });
    pdf.font('Helvetica').fontSize(7).text(t(`${doc.title} - ${statusText} - document ${meta.number ?? '-'} - ${meta.publishedAt}`), MARGIN, fy + 15, { width: contentWidth, lineBreak: false, ellipsis: true, height: 9 });
  }
  pdf.end();
  return done;

  function drawTable(table: DocTable) {
    const total = table.columns.reduce((a, c) => a + c.width, 0);
    const widths = table.columns.map((c) => (c.width / total) * contentWidth);
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, w) => a + w, 0));
    const rowHeight = (cells: string[], bold: boolean) => {
      pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY_SIZE);
      return Math.max(...cells.map((c, i) => pdf.heightOfString(t(c) || ' ', { width: widths[i]! - 2 * CELL_PAD }))) + 2 * CELL_PAD;
    };
    const drawRow = (cells: string[], bold: boolean, h: number) => {
      pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY_SIZE).fillColor('black');
      cells.forEach((c, i) => pdf.text(t(c), xs[i]! + CELL_PAD, y + CELL_PAD, { width: widths[i]! - 2 * CELL_PAD, align: table.columns[i]!.align ?? 'left' }));
      y += h;
      pdf.lineWidth(bold ? 0.8 : 0.3).moveTo(MARGIN, y).lineTo(PAGE.width - MARGIN, y).stroke();
    };
    const headerCells = table.columns.map((c) => c.header);
    const headH = rowHeight(headerCells, true);
    const drawHead = () => drawRow(headerCells, true, headH);
    const headingH = table.heading ? 18 : 0;
    const firstH = table.rows.length ? rowHeight(table.rows[0]!, false) : 14;
    // A heading never ends a page alone: it needs its header and first row below it.
    ensure(headingH + headH + firstH);
    if (table.heading) {
      y += 4;
      pdf.font('Helvetica-Bold').fontSize(11).text(t(table.heading), MARGIN, y, { width: contentWidth });
      y += 14;
    }
    if (!table.rows.length) {
      pdf.font('Helvetica-Oblique').fontSize(9).text(t(table.empty), MARGIN, y, { width: contentWidth });
      y += 16;
      return;
    }
    drawHead();
    for (const row of table.rows) {
      const h = rowHeight(row, false);
      ensure(h, () => {
        if (table.heading) {
          pdf.font('Helvetica-Bold').fontSize(11).text(t(`${table.heading} (continued)`), MARGIN, y, { width: contentWidth });
          y += 14;
        }
        drawHead();
      });
      drawRow(row, false, h);
    }
    y += 8;
  }
}
