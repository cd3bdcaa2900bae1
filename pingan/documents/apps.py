from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "pingan.documents"
    label = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        # Replacing the district's templates is the centre's work: the wording of every office's documents.
        register_capability("documents.manage_templates", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
        registry.nav("documents", "文书模板", "documents:templates", order=85, capability="documents.manage_templates")
        registry.action_label("documents.generate", "生成文书")
        registry.action_label("documents.template_upload", "上传文书模板")
        registry.action_label("documents.template_reset", "恢复默认文书模板")
