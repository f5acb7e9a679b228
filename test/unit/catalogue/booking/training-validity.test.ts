import { describe, expect, it } from 'vitest';
import {
  courseOf,
  coursesFromSettings,
  DEFAULT_COURSES,
  describeValidity,
  parseTrainingValidity,
} from '../../../../src/catalogue/booking/courses.ts';
import {
  dueRefreshers,
  summariseCourses,
  type TrainingRow,
} from '../../../../src/catalogue/booking/training-records.ts';
import { loadConfig } from '../../../../src/config.ts';

const courses = coursesFromSettings({
  trainingTargets: 'MECC=200',
  trainingValidity: 'Mental Health First Aid=3y;MECC=24m',
});

function row(title: string, user: string | null, end: string, extra: Partial<TrainingRow> = {}): TrainingRow {
  const endDate = new Date(end);
  return {
    title,
    venue: null,
    session_id: `${title}:${end}`,
    platform: user ? 'slack' : null,
    user_id: user,
    status: user ? 'confirmed' : null,
    attended: null,
    start: new Date(endDate.getTime() - 4 * 3_600_000),
    end: endDate,
    ...extra,
  };
}

describe('course validity settings', () => {
  it('reads years and months, and refuses anything else with a sentence that names the value', () => {
    expect(parseTrainingValidity('Mental Health First Aid=3y; MECC = 18 months')).toEqual({
      'Mental Health First Aid': 36,
      MECC: 18,
    });
    expect(parseTrainingValidity(undefined)).toEqual({});
    expect(() => parseTrainingValidity('MECC=forever')).toThrow(/"MECC=forever" is not "Course name=3y"/);
    expect(() => parseTrainingValidity('MECC=0m')).toThrow(/at least a month/);
    expect(() => loadConfig({ TRAINING_VALIDITY: 'MECC=soon' })).toThrow(/TRAINING_VALIDITY/);
  });

  it('attaches validity to the course it names, keeping targets, and describes it as people write it', () => {
    expect(courses.find((c) => c.name === 'Mental Health First Aid')).toMatchObject({
      validityMonths: 36,
      target: null,
    });
    expect(courses.find((c) => c.name.startsWith('MECC'))).toMatchObject({ validityMonths: 24, target: 200 });
    expect(courses.find((c) => c.name === 'Mental Health First Aid Refresher')?.validityMonths).toBeUndefined();
    expect([describeValidity(36), describeValidity(12), describeValidity(18), describeValidity(null)]).toEqual([
      '3 years',
      '1 year',
      '18 months',
      null,
    ]);
  });
});

describe('one course identity across venues', () => {
  it('groups a course run at several venues or online under one name', () => {
    const titles = [
      ['Safeguarding Adults (Kilburn Library)', 'Kilburn Library'],
      ['Safeguarding Adults – online', null],
      ['Safeguarding Adults at Crowndale Centre', 'Crowndale Centre'],
      ['Safeguarding Adults [Online]', null],
      ['Safeguarding Adults', 'Somers Town Community Centre'],
    ] as const;
    expect(new Set(titles.map(([t, v]) => courseOf(t, DEFAULT_COURSES, v)))).toEqual(new Set(['Safeguarding Adults']));
  });

  it('keeps the parts of a title that are not the venue', () => {
    expect(courseOf('Safeguarding at work – online', DEFAULT_COURSES, null)).toBe('Safeguarding at work');
    expect(courseOf('Dementia Friends (Level 2)', DEFAULT_COURSES, 'Kilburn Library')).toBe(
      'Dementia Friends (Level 2)',
    );
    expect(courseOf('Making Every Contact Count – Kilburn', DEFAULT_COURSES, 'Kilburn Library')).toBe(
      'MECC (Making Every Contact Count)',
    );
  });
});

describe('people trained, in date', () => {
  const now = new Date('2027-06-01T09:00:00Z');
  const rows = [
    row('Mental Health First Aid (2-day course)', 'U-OLD', '2024-05-02T16:00:00Z'), // lapsed 2 May 2027
    row('Mental Health First Aid (2-day course)', 'U-SOON', '2024-08-01T16:00:00Z'), // lapses 1 Aug 2027
    row('Mental Health First Aid (2-day course)', 'U-NEW', '2027-03-04T16:00:00Z'),
    row('Mental Health First Aid (2-day course)', 'U-ABSENT', '2027-03-04T16:00:00Z', { attended: false }),
    // Renewed by the refresher: in date again.
    row('Mental Health First Aid (2-day course)', 'U-RENEWED', '2024-04-01T16:00:00Z'),
    row('Mental Health First Aid Refresher', 'U-RENEWED', '2027-03-20T12:00:00Z'),
    row('Mental Health First Aid (2-day course)', null, '2027-09-01T16:00:00Z'),
  ];

  it('counts only people whose training is in date as trained, and reports lapsed and lapsing soon', () => {
    const mhfa = summariseCourses(rows, courses, now).find((r) => r.course === 'Mental Health First Aid')!;
    expect(mhfa).toMatchObject({ trained: 3, lapsed: 1, lapsingSoon: 1, validity: '3 years', sessions: 5 });
    // A course that does not lapse counts everyone who completed it.
    const noValidity = summariseCourses(rows, DEFAULT_COURSES, now).find(
      (r) => r.course === 'Mental Health First Aid',
    )!;
    expect(noValidity).toMatchObject({ trained: 4, lapsed: 0, validity: null });
  });

  it('reminds 6 months before a lapse, then 3 months before, and not after renewal or with a place booked', () => {
    const training = [row('Mental Health First Aid (2-day course)', 'U-A', '2024-09-10T16:00:00Z')]; // lapses 10 Sep 2027
    expect(dueRefreshers(training, courses, new Date('2027-03-09T09:00:00Z'))).toEqual([]);
    expect(dueRefreshers(training, courses, new Date('2027-03-11T09:00:00Z'))).toEqual([
      expect.objectContaining({
        userId: 'U-A',
        course: 'Mental Health First Aid',
        stage: 6,
        lapsesAt: new Date('2027-09-10T16:00:00Z'),
      }),
    ]);
    expect(dueRefreshers(training, courses, new Date('2027-06-11T09:00:00Z'))).toEqual([
      expect.objectContaining({ stage: 3 }),
    ]);
    expect(dueRefreshers(training, courses, new Date('2027-09-11T09:00:00Z'))).toEqual([]);

    const booked = [
      ...training,
      row('Mental Health First Aid Refresher', 'U-A', '2027-07-01T12:00:00Z', {
        start: new Date('2027-07-01T08:00:00Z'),
      }),
    ];
    expect(dueRefreshers(booked, courses, new Date('2027-06-11T09:00:00Z'))).toEqual([]);
    const renewed = [...training, row('Mental Health First Aid Refresher', 'U-A', '2027-04-01T12:00:00Z')];
    expect(dueRefreshers(renewed, courses, new Date('2027-06-11T09:00:00Z'))).toEqual([]);
  });
});
