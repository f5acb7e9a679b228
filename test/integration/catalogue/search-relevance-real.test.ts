import { judgedSets, REAL_SETS } from '../../helpers/judged-relevance.ts';

// The committed real data sets' judged questions (the demo catalogue's run in search-relevance.test.ts, beside them).
judgedSets(REAL_SETS);
