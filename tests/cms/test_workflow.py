"""Editorial workflow: Samordnare edit and submit, Granskare approve and publish."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import MethodPage
from cms.workflow_setup import TASK_NAME, WORKFLOW_NAME
from tests.factories import UserFactory, enable_totp

from .factories import MethodPageFactory

pytestmark = pytest.mark.django_db


def editor(role: str):
    user = UserFactory(roles=[role])
    enable_totp(user)  # the admin requires MFA
    return user


@pytest.fixture
def samordnare():
    return editor("Samordnare")


@pytest.fixture
def granskare():
    return editor("Granskare")


@pytest.fixture
def draft():
    """A never-published method page with a saved draft revision."""
    page = MethodPageFactory(title="Utkast till metod", live=False, first_published_at=None,
                             last_published_at=None)
    page.save_revision()
    return MethodPage.objects.get(pk=page.pk)


def edit_form_data(client, page, **changes):
    """The edit form as the browser would post it (StreamFields sent empty)."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name in ("body", "steps"):
        data[f"{name}-count"] = "0"
    for name, value in changes.items():
        data[name] = value
    return url, data


def workflow_state_of(page) -> WorkflowState:
    return WorkflowState.objects.for_instance(page).get()


def test_pages_are_reviewed_in_the_granskning_workflow(draft):
    workflow = draft.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME and workflow.active
    tasks = [task.specific for task in workflow.tasks.all()]
    assert [task.name for task in tasks] == [TASK_NAME]
    assert [group.name for group in tasks[0].groups.all()] == ["Granskare"]


def test_samordnare_may_edit_and_submit_but_not_publish(samordnare, granskare, draft):
    perms = draft.permissions_for_user(samordnare)
    assert perms.can_edit()
    assert perms.can_submit_for_moderation()
    assert not perms.can_publish()
    assert not perms.can_unpublish()
    assert not draft.get_parent().permissions_for_user(samordnare).can_publish_subpage()
    assert draft.permissions_for_user(granskare).can_publish()


def test_publish_posted_by_samordnare_saves_a_draft_only(client, samordnare, draft):
    client.force_login(samordnare)
    url, data = edit_form_data(client, draft, title="Ändrad titel")
    assert 'name="action-publish"' not in client.get(url).content.decode()
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert draft.live_revision is None
    assert draft.first_published_at is None
    # The post was accepted as an edit: a new draft revision carries the new title.
    assert draft.get_latest_revision().as_object().title == "Ändrad titel"
    assert not WorkflowState.objects.for_instance(draft).exists()


def test_publish_posted_by_samordnare_leaves_a_live_page_as_it_was(client, samordnare):
    page = MethodPageFactory(title="Publicerad metod")
    page.save_revision().publish()
    client.force_login(samordnare)
    url, data = edit_form_data(client, page, title="Ändrad titel")
    data["action-publish"] = "action-publish"
    assert client.post(url, data).status_code == 302
    page = MethodPage.objects.get(pk=page.pk)
    assert page.live
    assert page.title == "Publicerad metod"
    assert page.has_unpublished_changes
    assert page.get_latest_revision().as_object().title == "Ändrad titel"
    assert page.live_revision.as_object().title == "Publicerad metod"


def test_publish_posted_by_granskare_publishes(client, granskare, draft):
    """Control for the test above: the same form does publish for a reviewer."""
    client.force_login(granskare)
    url, data = edit_form_data(client, draft, title="Publicerad titel")
    data["action-publish"] = "action-publish"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert draft.title == "Publicerad titel"


def submit(client, samordnare, page, title="Inskickad titel") -> WorkflowState:
    client.force_login(samordnare)
    url, data = edit_form_data(client, page, title=title)
    data["action-submit"] = "action-submit"
    assert client.post(url, data).status_code == 302
    return workflow_state_of(page)


def test_submitting_starts_the_workflow(client, samordnare, draft):
    state = submit(client, samordnare, draft)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == samordnare
    task_state = state.current_task_state
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert task_state.task.name == TASK_NAME
    assert task_state.revision.as_object().title == "Inskickad titel"
    draft.refresh_from_db()
    assert not draft.live


def test_samordnare_cannot_approve_own_submission(client, samordnare, draft):
    state = submit(client, samordnare, draft)
    task_state = state.current_task_state
    assert task_state.task.specific.get_actions(draft, samordnare) == []
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    draft.refresh_from_db()
    assert not draft.live


@pytest.mark.parametrize("via", ["admin", "api"])
def test_granskare_approves_and_the_page_goes_live(client, samordnare, granskare, draft, via):
    state = submit(client, samordnare, draft)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert [name for name, _label, _modal in task.get_actions(draft, granskare)] == [
        "reject", "approve", "approve",
    ]
    if via == "admin":
        client.force_login(granskare)
        url = reverse("wagtailadmin_pages:workflow_action",
                      args=[draft.pk, "approve", task_state.pk])
        assert client.post(url, {"comment": "Ser bra ut."}).status_code == 302
    else:
        task.on_action(task_state, granskare, "approve")

    state.refresh_from_db()
    task_state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == granskare
    page = MethodPage.objects.get(pk=draft.pk)
    assert page.live
    assert page.title == "Inskickad titel"
    assert page.first_published_at is not None
    assert page.live_revision == task_state.revision


def test_granskare_requests_changes(client, samordnare, granskare, draft):
    state = submit(client, samordnare, draft)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, granskare, "reject")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    draft.refresh_from_db()
    assert not draft.live
