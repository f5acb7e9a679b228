import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { cleanText, collapseWhitespace, decodeEntities } from '../../../../src/catalogue/ingest/clean-text.ts';
import { WINDOWS_ZONE_NAMES, windowsZoneToIana } from '../../../../src/catalogue/ingest/windows-zones.ts';

describe('cleanText', () => {
  it('turns <br> and paragraphs into newlines and strips other tags', () => {
    expect(cleanText('<p>Hello <b>there</b>,<br>welcome.</p><p>Second<br/>para</p>')).toBe(
      'Hello there,\nwelcome.\n\nSecond\npara',
    );
    expect(cleanText('<div>One</div><div>Two</div>')).toBe('One\nTwo');
    expect(cleanText('<ul><li>Tea</li><li>Cake</li></ul>')).toBe('• Tea\n• Cake');
    expect(cleanText('<a href="https://example.org">Book here</a>')).toBe('Book here');
  });

  it('decodes named and numeric entities, including &nbsp; &amp; &#39;', () => {
    expect(cleanText('Fish &amp; chips&nbsp;&ndash; it&#39;s &#x2019;great&#8217; &pound;3 &lt;free&gt;')).toBe(
      "Fish & chips – it's ’great’ £3 <free>",
    );
    expect(decodeEntities('&unknown; & AT&T')).toBe('&unknown; & AT&T');
    expect(decodeEntities('&#0; &#xD800;x')).toBe(' x');
  });

  it('does not mistake escaped markup or comparisons for tags', () => {
    expect(cleanText('&lt;b&gt;not bold&lt;/b&gt;')).toBe('<b>not bold</b>');
    expect(cleanText('ages 5 < 11 and > 3')).toBe('ages 5 < 11 and > 3');
  });

  it('drops scripts, styles and comments', () => {
    expect(cleanText('<style>p{color:red}</style><p>Hi<!-- secret --></p><script>alert(1)</script>')).toBe('Hi');
  });

  it('collapses whitespace but keeps paragraphs', () => {
    expect(cleanText('  Line   one \t\n\n\n\n  Line\u00a0two  ')).toBe('Line one\n\nLine two');
    expect(collapseWhitespace('a\r\nb\rc')).toBe('a\nb\nc');
    expect(cleanText('zero\u200bwidth')).toBe('zerowidth');
  });

  it('gives an empty string for nothing', () => {
    expect(cleanText(undefined)).toBe('');
    expect(cleanText(null)).toBe('');
    expect(cleanText('   ')).toBe('');
  });
});

describe('windowsZoneToIana', () => {
  it('maps the common Outlook names', () => {
    expect(windowsZoneToIana('GMT Standard Time')).toBe('Europe/London');
    expect(windowsZoneToIana('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(windowsZoneToIana('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(windowsZoneToIana('Eastern Standard Time')).toBe('America/New_York');
    expect(windowsZoneToIana('Central Standard Time')).toBe('America/Chicago');
    expect(windowsZoneToIana('Romance Standard Time')).toBe('Europe/Paris');
    expect(windowsZoneToIana('"gmt  standard time"')).toBe('Europe/London');
    expect(windowsZoneToIana('(UTC+00:00) Dublin, Edinburgh, Lisbon, London')).toBe('Europe/London');
    expect(windowsZoneToIana('Nowhere Standard Time')).toBeUndefined();
    expect(windowsZoneToIana('constructor')).toBeUndefined();
  });

  it('only names zones the runtime knows', () => {
    expect(WINDOWS_ZONE_NAMES.length).toBeGreaterThanOrEqual(40);
    for (const name of WINDOWS_ZONE_NAMES) expect(IANAZone.isValidZone(windowsZoneToIana(name)!), name).toBe(true);
  });
});
