"""Syllabus files: a cohort keeps its syllabus's title, author, home link and weekly steps (`cohorts.syllabus`),
a chapter any number of labelled links (`chapters.links`) and a reading estimate (`chapters.reading`).
Existing chapters get their four fastbook links copied into `links`.

Revision ID: 0015
Revises: 0014
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_LABELS = (("notebook_url", "Notebook"), ("clean_url", "Clean notebook (code only)"),
           ("colab_url", "Open in Colab"), ("video_url", "Course lesson video"))


def upgrade() -> None:
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('syllabus', sa.JSON(), nullable=True))
    with op.batch_alter_table('chapters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('links', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('reading', sa.String(length=200), nullable=True))
    chapters = sa.table('chapters', sa.column('id', sa.Integer), sa.column('links', sa.JSON),
                        *(sa.column(column, sa.String) for column, _ in _LABELS))
    connection = op.get_bind()
    rows = connection.execute(sa.select(chapters.c.id, *(chapters.c[column] for column, _ in _LABELS))).all()
    for row in rows:
        links = [{"label": label, "url": row._mapping[column]} for column, label in _LABELS if row._mapping[column]]
        connection.execute(chapters.update().where(chapters.c.id == row.id).values(links=links))


def downgrade() -> None:
    with op.batch_alter_table('chapters', schema=None) as batch_op:
        batch_op.drop_column('reading')
        batch_op.drop_column('links')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_column('syllabus')
