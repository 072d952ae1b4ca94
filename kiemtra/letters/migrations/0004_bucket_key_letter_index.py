"""Related letters: the bucket index covers (key, letter) so a band's letters come from the index alone.

Only the index changes: the stored signatures and bucket keys stay valid, no letter is re-indexed.
The new index is built before the old one is dropped, so suggestion always has one.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0003_handling_catalogs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="letterbucket",
            index=models.Index(fields=["key", "letter"], name="letter_bucket_key_letter"),
        ),
        migrations.RemoveIndex(
            model_name="letterbucket",
            name="letter_bucket_key",
        ),
    ]
