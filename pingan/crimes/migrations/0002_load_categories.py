"""The police statistics categories (and the two that only 刑法 Art.17 names), 八类 set to the police list."""
from django.db import migrations

CATEGORIES = (
    ("homicide", "杀人", 10, True), ("injury", "伤害", 20, True), ("rape", "强奸", 30, True),
    ("robbery", "抢劫", 40, True), ("arson", "放火", 50, True), ("explosion", "爆炸", 60, True),
    ("kidnapping", "绑架", 70, True), ("hijacking", "劫持", 80, True), ("theft", "盗窃", 90, False),
    ("fraud", "诈骗", 100, False), ("drug_trafficking", "贩卖毒品", 110, False),
    ("poisoning", "投放危险物质", 120, False), ("other", "其他", 200, False),
)


def load(apps, schema_editor):
    Category = apps.get_model("crimes", "CrimeCategory")
    for code, name, order, serious in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order, "serious": serious})


def unload(apps, schema_editor):
    Category = apps.get_model("crimes", "CrimeCategory")
    Category.objects.filter(code__in=[c[0] for c in CATEGORIES], counts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("crimes", "0001_crime_counts")]
    operations = [migrations.RunPython(load, unload)]
