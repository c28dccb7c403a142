import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  UpdateDateColumn,
  type ValueTransformer,
} from 'typeorm';
import type { OrderStatus } from './order-status';

// pg returns bigint as a string; minor units stay far below 2^53
const minorUnits: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

@Entity('orders')
export class OrderEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text') status!: OrderStatus;
  /** set from the catalog's prices once stock is reserved */
  @Column('bigint', { name: 'total_amount', nullable: true, transformer: minorUnits }) totalAmount!: number | null;
  @Column('char', { length: 3, nullable: true }) currency!: string | null;
  /** why the order was rejected */
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey!: string | null;
  /** fingerprint of the request a key was first used with */
  @Column('text', { name: 'request_hash', nullable: true }) requestHash!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @OneToMany(() => OrderLineEntity, (l) => l.order) lines!: OrderLineEntity[];
}

@Entity('order_lines')
export class OrderLineEntity {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId!: string;
  @PrimaryColumn('int', { name: 'line_no' }) lineNo!: number;
  @Column('text', { name: 'product_id' }) productId!: string;
  @Column('int') quantity!: number;
  @Column('text', { nullable: true }) sku!: string | null;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('bigint', { name: 'unit_price_amount', nullable: true, transformer: minorUnits }) unitPriceAmount!: number | null;
  @ManyToOne(() => OrderEntity, (o) => o.lines) @JoinColumn({ name: 'order_id' }) order?: OrderEntity;
}
