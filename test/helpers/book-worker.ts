// A separate process that books many people at once on one session (concurrency tests on PostgreSQL).
// Usage: tsx test/helpers/book-worker.ts <databaseUrl> <sessionId> <userPrefix> <count> <nowIso>
import { BookingService } from '../../src/catalogue/booking/booking-service.ts';
import { openStore } from '../../src/db/open-store.ts';

const [url, sessionId, prefix, countText, nowText] = process.argv.slice(2);
const store = await openStore({ kind: 'postgres', url: url! });
const service = new BookingService(store);
const now = new Date(nowText!);
const count = Number(countText);
// Every person clicks twice: a double click must still be one booking.
const outcomes = await Promise.all(
  Array.from({ length: count * 2 }, (_, i) =>
    service.book(sessionId!, { platform: 'slack', userId: `${prefix}-${i % count}` }, now),
  ),
);
process.stdout.write(JSON.stringify(outcomes.map((o) => o.status)));
await store.close();
