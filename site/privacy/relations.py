"""Every database relation to the user, and what export and erasure do with it.

`tests/privacy/test_relations.py` walks every model (apps.get_models) and fails when a
ForeignKey, OneToOneField or ManyToManyField to AUTH_USER_MODEL is missing here, so a new
model cannot be forgotten. Each entry says:

- `erase`: DELETE (the rows go), DETACH (the field is set to NULL, the row stays) or KEEP
  (the row stays linked to the inactive tombstone of the erased account: records of actions
  taken in a role, kept for accountability; the tombstone carries no personal data);
- `export`: the path in the JSON export ("section.key") that holds these rows, or "" with
  a `reason` why it is not exported.

Keys name the model that declares the field ("wagtailcore.Page.owner", not every page type).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Erase(StrEnum):
    DELETE = "delete"
    DETACH = "detach"
    KEEP = "keep"


@dataclass(frozen=True)
class UserRelation:
    field: str  # "app_label.Model.field"
    erase: Erase
    export: str = ""  # "section.key" in the export, or "" (then `reason` says why)
    reason: str = ""

    @property
    def model_label(self) -> str:
        return self.field.rsplit(".", 1)[0]

    @property
    def field_name(self) -> str:
        return self.field.rsplit(".", 1)[1]


D, X, K = Erase.DELETE, Erase.DETACH, Erase.KEEP

ACCOUNTABILITY = "a record of an action taken in a role, kept for accountability"

USER_RELATIONS: tuple[UserRelation, ...] = (
    # --- sign-in (allauth) ---------------------------------------------------------------
    UserRelation("account.EmailAddress.user", D, "profile.email_addresses"),
    UserRelation("mfa.Authenticator.user", D, "profile.mfa_devices"),
    UserRelation("socialaccount.SocialAccount.user", D, "profile.social_accounts"),
    # --- forum ---------------------------------------------------------------------------
    UserRelation("forum.Thread.author", X, "forum.threads"),
    UserRelation("forum.Post.author", X, "forum.posts"),
    UserRelation("forum.PostRevision.edited_by", X, "forum.post_revisions"),
    UserRelation("forum.Post.hidden_by", K, "",
                 f"{ACCOUNTABILITY}: a moderator hid someone else's post; the moderator's "
                 "log entry is exported under audit.forum_moderation"),
    UserRelation("forum.Reaction.user", D, "forum.reactions"),
    UserRelation("forum.Watch.user", D, "forum.watches"),
    UserRelation("forum.Draft.user", D, "forum.drafts"),
    UserRelation("forum.ThreadRead.user", D, "forum.read_marks"),
    UserRelation("forum.CategoryRead.user", D, "forum.read_marks"),
    UserRelation("forum.Notification.user", D, "forum.notifications"),
    UserRelation("forum.Notification.actor", X, "",
                 "other people's notifications that the user wrote something; they belong "
                 "to the recipient, and the user's posts themselves are exported"),
    UserRelation("forum.EmailPreference.user", D, "forum.notification_settings"),
    UserRelation("forum.Flag.reporter", X, "forum.flags"),
    UserRelation("forum.Flag.resolved_by", K, "",
                 f"{ACCOUNTABILITY}: a moderator's decision on someone else's flag; the log "
                 "entry is exported under audit.forum_moderation"),
    UserRelation("forum.ModerationAction.moderator", K, "audit.forum_moderation"),
    # --- conference ----------------------------------------------------------------------
    UserRelation("conference.Registration.user", X, "conference.registrations"),
    UserRelation("conference.Proposal.submitted_by", X, "conference.proposals"),
    UserRelation("conference.Review.reviewer", K, "conference.reviews"),
    UserRelation("conference.FeedbackReceipt.user", D, "conference.feedback_receipts"),
    UserRelation("conference.AuditEvent.actor", K, "audit.conference"),
    # --- content (Wagtail) -----------------------------------------------------------------
    UserRelation("wagtailcore.Page.owner", X, "content.pages_created"),
    UserRelation("wagtailcore.Page.locked_by", X, "content.pages_locked"),
    UserRelation("cms.ContentPage.content_owner", X, "content.pages_responsible"),
    UserRelation("wagtailcore.Revision.user", X, "content.revisions"),
    UserRelation("wagtailcore.WorkflowState.requested_by", X, "content.workflow_requests"),
    UserRelation("wagtailcore.TaskState.finished_by", K, "content.workflow_decisions"),
    UserRelation("wagtailcore.Comment.user", K, "content.comments"),
    UserRelation("wagtailcore.Comment.resolved_by", X, "content.comments_resolved"),
    UserRelation("wagtailcore.CommentReply.user", K, "content.comment_replies"),
    UserRelation("wagtailcore.PageSubscription.user", D, "content.page_subscriptions"),
    UserRelation("wagtailcore.PageLogEntry.user", K, "audit.page_history"),
    UserRelation("wagtailcore.ModelLogEntry.user", K, "audit.admin_history"),
    UserRelation("cms.MRDocument.uploaded_by_user", X, "content.documents"),
    UserRelation("wagtailimages.Image.uploaded_by_user", X, "content.images"),
    UserRelation("wagtaildocs.Document.uploaded_by_user", X, "",
                 "Wagtail's default document model, unused (WAGTAILDOCS_DOCUMENT_MODEL is "
                 "cms.MRDocument, exported under content.documents)"),
    UserRelation("wagtailcore.UploadedFile.uploaded_by_user", D, "",
                 "a file half-way through the admin's multiple upload, before it becomes a "
                 "document or image; temporary"),
    UserRelation("wagtailcore.APIToken.user", D, "",
                 "secret key material, never exported; deleted on erasure"),
    UserRelation("wagtailadmin.EditingSession.user", D, "",
                 "a presence marker of an open editor (\"someone else is editing\"), "
                 "replaced every few seconds"),
    UserRelation("wagtailadmin.FormState.user", D, "",
                 "the admin's unsaved form state, a temporary copy of what the editor saves "
                 "into pages (exported as revisions)"),
    UserRelation("wagtailusers.UserProfile.user", D, "profile.admin_preferences"),
    # --- other apps of this project ------------------------------------------------------
    UserRelation("security.UserSession.user", D, "",
                 "maps secret session keys to the user; the sessions end on erasure"),
    UserRelation("accessibility.AccessibilityFeedback.user", X, "content.accessibility_feedback"),
    # --- Django admin and this app ---------------------------------------------------------
    UserRelation("admin.LogEntry.user", K, "audit.django_admin"),
    UserRelation("privacy.ErasureRecord.actor", K, "audit.erasures_performed"),
)

BY_FIELD = {relation.field: relation for relation in USER_RELATIONS}


def installed_relations() -> list[UserRelation]:
    """The relations whose app is installed (an entry may name an optional app)."""
    return [r for r in USER_RELATIONS if app_installed(r.model_label.split(".")[0])]


def app_installed(label: str) -> bool:
    from django.apps import apps

    try:
        apps.get_app_config(label)
    except LookupError:
        return False
    return True


def relations_to_user() -> set[str]:
    """Every relation field to AUTH_USER_MODEL, named by the model that declares it."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.related_model is not user_model:
                continue
            if not (field.many_to_one or field.one_to_one or field.many_to_many):
                continue
            declaring = field.model._meta.label
            found.add(f"{declaring}.{field.name}")
    return found
