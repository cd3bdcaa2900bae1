"""Masked ID numbers and landline phones keep fewer digits (issue 8, finding 1): with the old mask
(140311********123X) beside the birth date any reader could rebuild the number. The stored masks are
recomputed from the old ones, which hold every character the new ones keep: no decryption needed."""
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr


def _mask_other(old: str) -> str:
    if len(old) <= 4:
        return "*" * len(old)
    return old[:2] + "*" * (len(old) - 4) + old[-2:]


def _mask_landline(old: str) -> str:
    area, _, rest = old.partition("-")
    return f"{area}-{'*' * max(len(rest) - 2, 0)}{rest[-2:]}"


def forwards(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    RentalHouse = apps.get_model("people", "RentalHouse")
    Person.objects.annotate(n=Length("id_masked")).filter(n=18).update(
        id_masked=Concat(Substr("id_masked", 1, 4), Value("*" * 12), Substr("id_masked", 17, 2)))
    others = Person.objects.annotate(n=Length("id_masked")).exclude(n__in=[0, 18])
    for person in others.only("pk", "id_masked").iterator():
        Person.objects.filter(pk=person.pk).update(id_masked=_mask_other(person.id_masked))
    for person in Person.objects.filter(phone_masked__contains="-").only("pk", "phone_masked").iterator():
        Person.objects.filter(pk=person.pk).update(phone_masked=_mask_landline(person.phone_masked))
    for house in RentalHouse.objects.filter(owner_phone_masked__contains="-").only("pk", "owner_phone_masked").iterator():
        RentalHouse.objects.filter(pk=house.pk).update(owner_phone_masked=_mask_landline(house.owner_phone_masked))


class Migration(migrations.Migration):
    dependencies = [("people", "0002_default_visit_rules")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
