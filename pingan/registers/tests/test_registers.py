"""The generic register pieces on a model of their own floor (geo's liaison points): cells, routes, the form's
scoped choices, the viewset's verbs. The pages and API at work are tested by the apps that declare registers
(pingan/security/tests)."""
import datetime as dt

import pytest
from django import forms

from pingan.core.personal import PhoneField
from pingan.geo.models import LiaisonPoint, Node
from pingan.registers import Register, RegisterForm, RegisterViewSet, cell, register_urlpatterns

pytestmark = pytest.mark.django_db


def _create(*, actor, data):
    return LiaisonPoint.objects.create(**data)


POINTS = Register(model=LiaisonPoint, namespace="geo", name="points", title="治安联络点",
                  columns=(("名称", "name"), ("村", "jurisdiction.name")), create=_create, write_capability="geo.edit_liaison")


class PointForm(RegisterForm):
    class Meta:
        model = LiaisonPoint
        fields = ["name", "jurisdiction", "contact_phone"]


def test_the_routes_follow_the_services_the_register_has():
    names = [p.name for p in register_urlpatterns(POINTS)]
    assert names == ["points_list", "points_detail"]  # create needs a form too
    full = Register(model=LiaisonPoint, namespace="geo", name="points", title="x", form=PointForm, create=_create,
                    update=_create, delete=_create)
    assert [p.name for p in register_urlpatterns(full)] == [
        "points_list", "points_detail", "points_create", "points_edit", "points_delete"]
    detail = register_urlpatterns(full)[1]
    assert detail.callback.scoped_model is LiaisonPoint  # the leak test reads it


def test_cells_show_values_the_way_pages_do(world):
    point = LiaisonPoint.objects.create(jurisdiction=world.village("a"), name="固庄治安联络点")
    assert cell(point, "jurisdiction.name", None) == "固庄村委会"
    assert cell(point, "address", None) == "—"
    assert cell(point, "jurisdiction.is_pilot", None) == "否"
    assert cell(point, "jurisdiction.get_level_display", None) == "村"
    point.created_at = dt.datetime(2017, 3, 5, 1, 30, tzinfo=dt.timezone.utc)
    assert cell(point, "created_at", None) == "2017-03-05 09:30"  # Beijing time


def test_a_phone_field_is_masked_unless_the_user_may_reveal(world):
    class Holder:
        class _meta:
            @staticmethod
            def get_field(name):
                return PhoneField("联系电话", max_length=20)
        phone = "13912345678"
    assert cell(Holder(), "phone", world.users["village_a"]) == "139****5678"
    assert cell(Holder(), "phone", world.officer("a")) == "13912345678"


def test_the_form_offers_only_places_the_user_may_see_and_leaves_the_instance_alone(world):
    form = PointForm({"name": "越权", "jurisdiction": world.village("b").pk}, actor=world.officer("a"))
    assert not form.is_valid()
    assert form.errors["jurisdiction"] == ["所选项不存在或不在您的管辖范围内。"]
    assert set(form.fields["jurisdiction"].queryset) == set(Node.objects.filter(path__startswith=world.township("a").path))
    point = LiaisonPoint.objects.create(jurisdiction=world.village("a"), name="原名")
    form = PointForm({"name": "新名", "jurisdiction": world.village("a").pk}, instance=point, actor=world.officer("a"))
    assert form.is_valid()
    assert point.name == "原名" and form.register_data() == {"name": "新名", "jurisdiction": world.village("a"),
                                                            "contact_phone": ""}
    assert isinstance(form.fields["jurisdiction"], forms.ModelChoiceField)


def test_the_viewset_offers_only_the_verbs_the_register_has():
    class PointViewSet(RegisterViewSet):
        register = POINTS

    assert PointViewSet.http_method_names == ["get", "head", "options", "post"]
    assert PointViewSet.queryset.model is LiaisonPoint
