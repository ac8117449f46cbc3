from django.db import migrations


def load_districts(apps, schema_editor):
    # Historical model: the service cannot be imported here, so the same small loop runs on the frozen model.
    from pubcredit.rulebook.loader import load_yaml

    District = apps.get_model("accounts", "District")
    for item in load_yaml("districts.yaml")["districts"]:
        District.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "kind": item["kind"], "division_code": item.get("division_code") or ""},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load_districts, migrations.RunPython.noop)]
