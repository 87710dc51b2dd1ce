"""Search data: the editable synonym list, pinned results, and the database backend's index.

The index tables hold a copy of each SearchDocument (for snippets, facets and the API) and
are written only by search.backends.database. The full-text structures themselves (an FTS5
table on SQLite, a tsvector column on PostgreSQL) are created by migration 0002 and managed
with raw SQL, since they differ per engine.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .analysis import tokenize


def normalise_query(text: str) -> str:
    """The form pinned queries are stored and compared in: lowercased words, single spaces."""
    return " ".join(word.rstrip(".") for word in tokenize(text))


class Synonym(models.Model):
    """Words and phrases that mean the same in a search ("bka, barnkonsekvensanalys").

    Applied at query time only, so an edit takes effect at once, without reindexing.
    """

    terms = models.CharField(
        _("ord som betyder samma sak"), max_length=500,
        help_text=_("Kommaseparerade ord eller fraser, t.ex. ”bka, barnkonsekvensanalys”. "
                    "En sökning på något av dem hittar också de andra."),
    )
    note = models.CharField(_("kommentar"), max_length=200, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonymer")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [" ".join(tokenize(part)) for part in self.terms.split(",") if tokenize(part)]

    def clean(self):
        from django.core.exceptions import ValidationError

        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("Ange minst två ord eller fraser, åtskilda med komma.")})


class PinnedResult(models.Model):
    """A page shown first for a query, chosen by an editor."""

    query = models.CharField(_("sökfråga"), max_length=200,
                             help_text=_("Sidan visas överst när någon söker på exakt detta "
                                         "(stora och små bokstäver spelar ingen roll)."))
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("sida"), on_delete=models.CASCADE,
                             related_name="+")
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    panels = [FieldPanel("query"), FieldPanel("page"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("fäst sökträff")
        verbose_name_plural = _("fästa sökträffar")
        ordering = ["query", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["query", "page"],
                                               name="search_pinned_unique_page_per_query")]

    def __str__(self) -> str:
        return f"{self.query} → {self.page}"

    def save(self, *args, **kwargs):
        self.query = normalise_query(self.query)
        super().save(*args, **kwargs)


class IndexedDocument(models.Model):
    """A SearchDocument as stored by the database backend (see search.documents)."""

    key = models.CharField(max_length=100, unique=True)
    public_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    organisation_unit = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    date = models.DateField(null=True)
    rights_areas = models.JSONField(default=list)
    staircase_steps = models.JSONField(default=list)
    tags = models.JSONField(default=list)
    access = models.JSONField(default=list)
    public = models.BooleanField(default=True)  # access includes "alla": no token needed
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()
        # Covers what a search reads per match (search.backends.database): without it
        # every match reads its wide row, body text included.
        indexes = [models.Index(fields=["id", "public", "kind", "organisation_unit", "year"],
                                name="search_document_facets")]

    def __str__(self) -> str:
        return self.key


class TsVectorField(models.Field):
    """PostgreSQL's tsvector (plain text elsewhere, where the table is unused)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class IndexedVector(models.Model):
    """The weighted tsvector of a document, PostgreSQL only (search.backends.sql_postgres
    writes it with raw SQL). A model so that it is deleted with its document and Django's
    flush knows the table."""

    document = models.OneToOneField(IndexedDocument, primary_key=True, on_delete=models.CASCADE,
                                    db_column="document_id", related_name="+")
    vector = TsVectorField()

    class Meta:
        db_table = "search_vector"
        default_permissions = ()


class IndexedTerm(models.Model):
    """How many documents contain each indexed term (maintained by the database backend's
    engines as they write and delete, search.backends.term_counts). Gives the ranking its
    document frequencies and the typo check its known terms without walking the full-text
    index. The row with the empty term holds the number of documents."""

    term = models.TextField(primary_key=True)
    documents = models.IntegerField(default=0)

    class Meta:
        db_table = "search_term"
        default_permissions = ()


class IndexedFacet(models.Model):
    """One value of a many-valued facet of an indexed document ("omrade", "steg"), or an
    access token ("access") of a document that is not public. Single-valued facets are
    IndexedDocument columns (search.backends.database.FACET_COLUMNS)."""

    document = models.ForeignKey(IndexedDocument, on_delete=models.CASCADE, related_name="facets",
                                 db_index=False)  # search_facet_by_document starts with it
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["name", "value", "document"], name="search_facet_lookup"),
            models.Index(fields=["document", "name", "value"], name="search_facet_by_document"),
        ]


class SearchWord(models.Model):
    """Words seen in indexed text, for "Menade du …?" (surface forms, not stems).

    `frequency` counts occurrences at indexing time; it is approximate between rebuilds
    (deleting a document does not decrement it), which is all ranking suggestions needs.
    """

    word = models.CharField(max_length=60, unique=True)
    folded = models.CharField(max_length=60, db_index=True)
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
