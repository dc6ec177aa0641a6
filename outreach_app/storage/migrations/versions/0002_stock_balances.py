"""stock balances kept beside the ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Logging an encounter checks each item's balance at the site; summing a year of movements for
that took hundreds of milliseconds. `stock_balances` holds the running sum per site, item and lot,
maintained by the database itself on every insert into the append-only `stock_movements` (so bulk
inserts and merged records keep it right too). It is derived: `outreach check` compares it with
the ledger's sums, and this migration builds it from them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_TRIGGER = """
CREATE TRIGGER stock_balances_follow_movements AFTER INSERT ON stock_movements
BEGIN
    INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand)
    VALUES (NEW.site_id, NEW.item_id, COALESCE(NEW.lot_id, ''), NEW.lot_id, NEW.quantity)
    ON CONFLICT (site_id, item_id, lot_key)
    DO UPDATE SET on_hand = stock_balances.on_hand + excluded.on_hand;
END
"""

POSTGRES_FUNCTION = """
CREATE FUNCTION stock_balances_follow_movements() RETURNS trigger AS $$
BEGIN
    INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand)
    VALUES (NEW.site_id, NEW.item_id, COALESCE(NEW.lot_id::text, ''), NEW.lot_id, NEW.quantity)
    ON CONFLICT (site_id, item_id, lot_key)
    DO UPDATE SET on_hand = stock_balances.on_hand + EXCLUDED.on_hand;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

POSTGRES_TRIGGER = """
CREATE TRIGGER stock_balances_follow_movements AFTER INSERT ON stock_movements
FOR EACH ROW EXECUTE FUNCTION stock_balances_follow_movements()
"""


def upgrade() -> None:
    op.create_table(
        "stock_balances",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("lot_key", sa.String(length=36), nullable=False),
        sa.Column("lot_id", sa.Uuid(), nullable=True),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_stock_balances_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_stock_balances_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_stock_balances_lot_id_lots")
        ),
        sa.PrimaryKeyConstraint("site_id", "item_id", "lot_key", name=op.f("pk_stock_balances")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    lot_key = "COALESCE(lot_id::text, '')" if postgres else "COALESCE(lot_id, '')"
    op.execute(
        "INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand) "
        f"SELECT site_id, item_id, {lot_key}, lot_id, SUM(quantity) FROM stock_movements "
        "GROUP BY site_id, item_id, lot_id"
    )
    if postgres:
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
    else:
        op.execute(SQLITE_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS stock_balances_follow_movements ON stock_movements")
    op.drop_table("stock_balances")
