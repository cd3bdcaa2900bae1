from django.apps import AppConfig


class RegistersConfig(AppConfig):
    """Generic pieces for registers (plain, non-case scoped records edited by people): one declaration gives the
    list, detail, create/edit/delete pages and the API. Beside the case layer, above core, geo, accounts, jobs,
    ledgers and documents; it owns no models."""

    name = "pingan.registers"
    label = "registers"
    verbose_name = "登记簿"
