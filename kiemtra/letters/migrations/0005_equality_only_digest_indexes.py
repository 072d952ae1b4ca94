"""Digest and code columns indexed for equality only: no LIKE (``varchar_pattern_ops``) twin indexes.

``unique=True`` and ``db_index=True`` on a CharField give PostgreSQL a second, ``_like`` index
for LIKE queries; nothing queries these columns by pattern (tracking codes, key ids, keyed
digests, stored file names are compared whole), and each such index cost every letter stored
at intake an index insert. The same uniqueness and equality indexes stay, under constraints and
``Meta.indexes``; the whole migration is one transaction on PostgreSQL.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0004_bucket_key_letter_index"),
        ("orgs", "0002_unit_search_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="stored_name",
            field=models.CharField(editable=False, max_length=100),
        ),
        migrations.AlterField(
            model_name="letter",
            name="accused_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="letter",
            name="citizen_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="letter",
            name="key_id",
            field=models.CharField(editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="letter",
            name="tracking_code",
            field=models.CharField(editable=False, max_length=32, verbose_name="mã theo dõi"),
        ),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(fields=["key_id"], name="letter_key_id"),
        ),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(fields=["citizen_digest"], name="letter_citizen_digest"),
        ),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(fields=["accused_digest"], name="letter_accused_digest"),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.UniqueConstraint(fields=("stored_name",), name="attachment_stored_name_unique"),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(fields=("tracking_code",), name="letter_tracking_code_unique"),
        ),
    ]
