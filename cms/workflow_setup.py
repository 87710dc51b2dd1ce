"""Page permissions and the review workflow for the editorial roles.

Samordnare create and edit but cannot publish: publishing goes through the "Granskning"
workflow, whose one task is approved by Granskare. Used by a data migration, and by
load_demo/tests (which may run on a flushed database).
"""

from __future__ import annotations

PAGE_PERMISSIONS = {
    "Samordnare": ["add_page", "change_page", "lock_page", "unlock_page"],
    "Granskare": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    role: [("wagtaildocs", "document", code) for code in ("add_document", "change_document",
                                                            "choose_document")]
    + [("wagtailimages", "image", code) for code in ("add_image", "change_image", "choose_image")]
    for role in ("Samordnare", "Granskare", "Konferensarrangör")
}
WORKFLOW_NAME = "Granskning"
TASK_NAME = "Godkännande av granskare"


def _permission(models, app_label, model, codename):
    content_type, _ = models["ContentType"].objects.get_or_create(app_label=app_label, model=model)
    permission, _ = models["Permission"].objects.get_or_create(
        content_type=content_type, codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def setup_editorial_permissions(models: dict) -> None:
    """Idempotent. `models` maps names to model classes (historical ones in migrations)."""
    Group, Page = models["Group"], models["Page"]
    root = Page.objects.filter(depth=1).first()
    root_collection = models["Collection"].objects.filter(depth=1).first()
    if root is None:
        return
    groups = {name: Group.objects.get_or_create(name=name)[0]
              for name in {*PAGE_PERMISSIONS, *COLLECTION_PERMISSIONS}}
    for role, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            models["GroupPagePermission"].objects.get_or_create(
                group=groups[role], page=root,
                permission=_permission(models, "wagtailcore", "page", codename),
            )
    if root_collection is not None:
        for role, perms in COLLECTION_PERMISSIONS.items():
            for app_label, model, codename in perms:
                models["GroupCollectionPermission"].objects.get_or_create(
                    group=groups[role], collection=root_collection,
                    permission=_permission(models, app_label, model, codename),
                )

    # Wagtail's initial data ships a "Moderators approval" workflow on the root page; it
    # becomes ours, approved by Granskare. Wagtail's default groups go.
    Workflow, Task = models["Workflow"], models["GroupApprovalTask"]
    task = Task.objects.filter(name__in=["Moderators approval", TASK_NAME]).first()
    if task is None:
        task = Task.objects.create(name=TASK_NAME, active=True)
    task.name = TASK_NAME
    task.save()
    task.groups.set([groups["Granskare"]])
    workflow = Workflow.objects.filter(name__in=["Moderators approval", WORKFLOW_NAME]).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        models["WorkflowTask"].objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.name = WORKFLOW_NAME
    workflow.active = True
    workflow.save()
    models["WorkflowPage"].objects.update_or_create(page=root, defaults={"workflow": workflow})
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()


def runtime_models() -> dict:
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import (
        Collection, GroupApprovalTask, GroupCollectionPermission, GroupPagePermission, Page,
        Workflow, WorkflowPage, WorkflowTask,
    )

    return {name: cls for name, cls in locals().items()}
