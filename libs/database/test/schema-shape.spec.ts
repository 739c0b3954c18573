// Unit check of the comparison used by schema-agreement.e2e-spec.ts: it must see a drift, and say
// which one. Reads schema.prisma through Prisma's parser; no database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDatamodel } from './prisma-dmmf';
import { diffShapes, expectedShape, type SchemaShape } from './schema-shape';

const schema = readFileSync(join(__dirname, '../../../prisma/schema.prisma'), 'utf8');
const expected = () => expectedShape(getDatamodel(schema));

describe('expectedShape (from Prisma DMMF)', () => {
  it('reads native types, enums, defaults, keys and relations as Prisma understood them', () => {
    const s = expected();
    expect(Object.keys(s)).toHaveLength(14);
    expect(s.outbox_event.columns.id).toEqual({ type: 'bigint', nullable: false, default: null, autoIncrement: true });
    expect(s.outbox_event.columns.event_id.type).toBe('char(36)');
    expect(s.outbox_event.columns.value.type).toBe('text');
    expect(s.order_order.columns.status).toEqual({ type: "enum('PENDING','COMPLETED','REJECTED','CANCELLED')", nullable: false, default: 'PENDING', autoIncrement: false });
    expect(s.order_order.columns.user_id).toMatchObject({ type: 'varchar(64)', nullable: true });
    expect(s.order_order.columns.updated_at).toMatchObject({ type: 'datetime(3)', default: null });
    expect(s.coupon_claim.columns.updated_at.default).toBe('now()');
    expect(s.coupon_vendor.columns.balance).toMatchObject({ type: 'bigint', default: '0' });
    expect(s.processed_event.primaryKey).toEqual(['consumer', 'event_id']);
    expect(s.coupon_user_coupon.indexes.coupon_user_coupon_user_coupon_key).toEqual({ unique: true, columns: ['user_id', 'coupon_id'] });
    expect(s.order_order.indexes.order_status_created_idx.columns).toEqual(['status', 'created_at', 'id']);
    expect(s.order_history.foreignKeys.order_history_order_id_fkey).toEqual({ columns: ['order_id'], references: 'order_order(id)', onDelete: 'CASCADE', onUpdate: 'CASCADE' });
    expect(s.coupon_coupon.foreignKeys.coupon_coupon_vendor_id_fkey.onDelete).toBe('RESTRICT');
  });

  it('surfaces a schema error from Prisma instead of comparing nonsense', () => {
    expect(() => getDatamodel('model X { id Int @id @db.NoSuchType }')).toThrow(/NoSuchType|native type/i);
  });
});

describe('diffShapes', () => {
  it('finds nothing when both sides agree', () => {
    expect(diffShapes(expected(), expected())).toEqual([]);
  });

  it('names each kind of drift', () => {
    const actual: SchemaShape = expected();
    delete actual.order_order.indexes.order_kind_created_idx;
    actual.order_order.indexes.order_created_idx.columns.reverse();
    actual.notification_notification.columns.message.type = 'varchar(256)';
    actual.shipment_shipment.columns.tracking_number.nullable = true;
    actual.coupon_user.columns.id.autoIncrement = false;
    actual.payment_payment.columns.created_at.default = null;
    delete actual.payment_payment.indexes.payment_order_id_key;
    actual.order_history.foreignKeys.order_history_order_id_fkey.onDelete = 'RESTRICT';
    delete actual.coupon_coupon.foreignKeys.coupon_coupon_vendor_id_fkey;
    delete actual.stock_product;
    actual.processed_event.primaryKey = ['event_id'];
    actual.stray = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: {} };
    actual.order_order.columns.extra = { type: 'int', nullable: true, default: null, autoIncrement: false };
    expect(diffShapes(expected(), actual).sort()).toEqual(
      [
        'stray: table exists but no model maps to it',
        'stock_product: table missing',
        'order_order.extra: column exists but no field maps to it',
        'order_order: index order_kind_created_idx missing',
        'order_order: index order_created_idx is {"unique":false,"columns":["id","created_at"]}, schema says {"unique":false,"columns":["created_at","id"]}',
        'notification_notification.message: type is varchar(256), schema says varchar(512)',
        'shipment_shipment.tracking_number: nullable is true, schema says false',
        'coupon_user.id: autoIncrement is false, schema says true',
        'payment_payment.created_at: default is null, schema says now()',
        'payment_payment: index payment_order_id_key missing',
        'order_history: foreign key order_history_order_id_fkey is {"columns":["order_id"],"references":"order_order(id)","onDelete":"RESTRICT","onUpdate":"CASCADE"}, schema says {"columns":["order_id"],"references":"order_order(id)","onDelete":"CASCADE","onUpdate":"CASCADE"}',
        'coupon_coupon: foreign key coupon_coupon_vendor_id_fkey missing',
        'processed_event: primary key is (event_id), schema says (consumer,event_id)',
      ].sort(),
    );
  });

  it('tolerates the index InnoDB adds for an uncovered foreign key, and nothing else', () => {
    const actual = expected();
    actual.coupon_coupon.indexes.coupon_coupon_vendor_id_fkey = { unique: false, columns: ['vendor_id'] };
    actual.coupon_coupon.indexes.surprise_idx = { unique: false, columns: ['type'] };
    expect(diffShapes(expected(), actual)).toEqual(['coupon_coupon: index surprise_idx exists but is not in the schema']);
  });
});
