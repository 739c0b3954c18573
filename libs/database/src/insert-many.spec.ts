import { Prisma } from './generated/prisma/client';
import { insertMany } from './insert-many';

/** A client that records the statements insertMany sends (typed as what insertMany takes). */
function capture() {
  const queries: Prisma.Sql[] = [];
  const db: Parameters<typeof insertMany>[0] = {
    // a PrismaPromise is a Promise tagged by Prisma's client; insertMany only hands it back
    $executeRaw: (q) => (queries.push(q), Promise.resolve(1) as Prisma.PrismaPromise<number>),
  };
  return { db, queries };
}

describe('insertMany', () => {
  it('writes one multi-row INSERT with every value bound as a parameter', async () => {
    const { db, queries } = capture();
    const at = new Date(0);
    await insertMany(db, 'order_history', [
      { order_id: 'a', step: "x'); DROP TABLE t; --", at },
      { order_id: 'b', step: 'y', at },
    ]);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.sql).toBe('INSERT INTO `order_history` (`order_id`, `step`, `at`) VALUES (?,?,?),(?,?,?)');
    expect(queries[0]!.values).toEqual(['a', "x'); DROP TABLE t; --", at, 'b', 'y', at]);
  });

  it('writes nothing for no rows and refuses a name that is not a plain identifier', async () => {
    const { db, queries } = capture();
    expect(await insertMany(db, 'order_history', [])).toBe(0);
    expect(queries).toHaveLength(0);
    expect(() => insertMany(db, 'order_history', [{ 'id`; --': 1 }])).toThrow(/bad identifier/);
  });
});
