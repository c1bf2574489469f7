from django.db import migrations

# The seed's household labels; the county office can add, rename or retire them.
DEFAULT_TAGS = [
    ("low_income", "低保户", True),
    ("five_guarantee", "五保户", True),
    ("disabled", "残疾人家庭", True),
    ("elderly_alone", "独居老人", True),
    ("left_behind_child", "留守儿童", True),
    ("hardship", "困难户", True),
    ("veteran", "退役军人", False),
    ("party_member", "党员户", False),
]


def add(apps, schema_editor):
    Tag = apps.get_model("archives", "Tag")
    for position, (code, name, sensitive) in enumerate(DEFAULT_TAGS, start=1):
        Tag.objects.get_or_create(code=code, defaults={"name": name, "sensitive": sensitive, "position": position})


class Migration(migrations.Migration):
    dependencies = [("archives", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
