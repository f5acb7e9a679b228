import { describe, expect, it } from 'vitest';
import { listingDomain, listingIdFromUrl } from '../../../../src/catalogue/pages/listing-link.ts';
import { listingPageUrl } from '../../../../src/catalogue/pages/listing-url.ts';

const ID = '34f5fea4-b8cf-4286-832a-f4ca1aca37b4';

describe('links to listing pages', () => {
  it('reads the listing id back from the page address, whatever the case, query or fragment', () => {
    for (const publicUrl of [
      'https://signpost.camden.gov.uk',
      'https://signpost.camden.gov.uk/',
      'https://camden.gov.uk/signpost',
    ]) {
      const page = listingPageUrl(publicUrl, ID);
      expect(listingIdFromUrl(publicUrl, page), page).toBe(ID);
      expect(listingIdFromUrl(publicUrl, `${page}/`)).toBe(ID);
      expect(
        listingIdFromUrl(
          publicUrl,
          `${page.replace(ID, ID.toUpperCase()).replace('camden.gov.uk', 'Camden.GOV.uk')}?utm_source=slack#when`,
        ),
      ).toBe(ID);
    }
    // A link typed by hand with http still means the page.
    expect(listingIdFromUrl('https://signpost.camden.gov.uk', `http://signpost.camden.gov.uk/l/${ID}`)).toBe(ID);
  });

  it('is not a listing page on another host, another path, or without a listing id', () => {
    const base = 'https://camden.gov.uk/signpost';
    for (const link of [
      `https://evil.example/signpost/l/${ID}`,
      `https://signpost.camden.gov.uk.evil.example/l/${ID}`,
      `https://camden.gov.uk/l/${ID}`,
      `https://camden.gov.uk/signpost/insights`,
      `https://camden.gov.uk/signpost/l/`,
      `https://camden.gov.uk/signpost/l/${ID}/extra`,
      `https://camden.gov.uk/signpost/l/not-an-id`,
      `https://camden.gov.uk/signpost/l/%E0%A4%A`,
      `javascript:alert(1)//camden.gov.uk/signpost/l/${ID}`,
      'not a link',
    ]) {
      expect(listingIdFromUrl(base, link), link).toBeUndefined();
    }
  });

  it('registers previews for the host of PUBLIC_URL', () => {
    expect(listingDomain('https://Signpost.Camden.gov.uk:8443/base/')).toBe('signpost.camden.gov.uk');
  });
});
