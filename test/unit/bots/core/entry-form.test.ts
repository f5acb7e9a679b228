import { describe, expect, it } from 'vitest';
import {
  ENTRY_FORM_FIELDS,
  fieldForPath,
  mayEditEntries,
  parseEntryForm,
} from '../../../../src/bots/core/entries/entry-form.ts';
import { GuidedForm } from '../../../../src/bots/terminal/guided-form.ts';
import { ACTION } from '../../../../src/bots/core/action-ids.ts';

describe('the entry form shared by Slack, Teams and the terminal', () => {
  it('turns typed values into an entry: lists, prices, a London date and times', () => {
    const parsed = parseEntryForm(
      {
        title: 'Tea dance',
        kind: 'activity',
        categories: 'dance, social ,',
        audiences: ['older_people'],
        accessibility: 'step_free,hearing_loop',
        costAmount: '£2.50',
        date: '2027-06-01',
        startTime: '14:00',
        endTime: '16:00',
      },
      undefined,
    );
    expect(parsed.ok).toBe(true);
    expect(parsed.input).toMatchObject({
      title: 'Tea dance',
      categories: ['dance', 'social'],
      audiences: ['older_people'],
      accessibility: ['step_free', 'hearing_loop'],
      costAmount: 2.5,
      free: false,
    });
    // 1 June is in British Summer Time: 14:00 in London is 13:00 UTC.
    expect((parsed.input.start as Date).toISOString()).toBe('2027-06-01T13:00:00.000Z');
    expect((parsed.input.end as Date).toISOString()).toBe('2027-06-01T15:00:00.000Z');
  });

  it.each([
    [{ title: 'Hi', kind: 'activity' }, 'title', /at least 3 characters/],
    [{ title: 'Tea dance', kind: 'party' }, 'kind', /Choose from the kind options/],
    [{ title: 'Tea dance', kind: 'activity', ward: 'Narnia' }, 'ward', /Choose from the ward options/],
    [{ title: 'Tea dance', kind: 'activity', postcode: 'nowhere' }, 'postcode', /full UK postcode/],
    [{ title: 'Tea dance', kind: 'activity', costAmount: 'three' }, 'costAmount', /price in pounds/],
    [{ title: 'Tea dance', kind: 'activity', startTime: '10:00' }, 'date', /Pick the date/],
    [{ title: 'Tea dance', kind: 'activity', date: '2027-02-30' }, 'date', /YYYY-MM-DD/],
    [
      { title: 'Tea dance', kind: 'activity', date: '2027-03-01', startTime: '14:00', endTime: '13:00' },
      'endTime',
      /end must be after/,
    ],
    [{ title: 'Tea dance', kind: 'activity', contactEmail: 'not an address' }, 'contactEmail', /e-mail address/],
  ])('refuses %j with a problem on its field', (values, field, message) => {
    const parsed = parseEntryForm(values, undefined);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[field]).toMatch(message);
  });

  it('names every field a validation path can point to, and lets only coordinators in', () => {
    for (const f of ENTRY_FORM_FIELDS) expect(fieldForPath(f.name)).toBe(f.name);
    expect(fieldForPath('start')).toBe('date');
    expect(fieldForPath('categories.3')).toBe('categories');
    expect(mayEditEntries({ isCoordinator: true })).toBe(true);
    expect(mayEditEntries({ isCoordinator: false })).toBe(false);
  });
});

describe('the terminal asking the form field by field', () => {
  const form = {
    title: 'Add an entry',
    submit: { label: 'Save', action: ACTION.saveEntry, value: '' },
    fields: ENTRY_FORM_FIELDS.filter((f) => ['title', 'kind', 'audiences'].includes(f.name)).map((f) => ({ ...f })),
  };

  it('takes choices by number, value or label, re-asks a choice it cannot read, and submits the values', () => {
    const guided = new GuidedForm(form);
    expect(guided.answer('Lunch club')).toBeUndefined();
    expect(guided.question()).toContain('1) Activity or group');
    expect(guided.answer('9')).toMatch(/numbers shown/);
    expect(guided.answer('training course')).toBeUndefined();
    expect(guided.answer('1, older_people')).toBeUndefined();
    expect(guided.done).toBe(true);
    expect(JSON.parse(guided.submission())).toEqual({
      ctx: '',
      fields: {
        title: 'Lunch club',
        kind: 'training',
        audiences: [form.fields[2]!.options![0]!.value, 'older_people'],
      },
    });
  });

  it('asks again only the fields with a problem, keeping the rest', () => {
    const refused = {
      ...form,
      fields: form.fields.map((f) =>
        f.name === 'title'
          ? { ...f, value: 'Hi', problem: 'Give the entry a title' }
          : { ...f, value: f.name === 'kind' ? 'activity' : [] },
      ),
    };
    const guided = new GuidedForm(refused);
    expect(guided.question()).toContain('! Give the entry a title');
    expect(guided.question()).toContain('1/1 Title');
    guided.answer('Lunch club');
    expect(guided.done).toBe(true);
    expect(JSON.parse(guided.submission()).fields).toEqual({ title: 'Lunch club', kind: 'activity', audiences: [] });
  });
});
