"""cms models: taxonomy snippets, documents and page types."""

from .content import (  # noqa: F401
    Attachment,
    ContentPage,
    ContentPageTag,
    GoodExamplePage,
    GuidancePage,
    MethodPage,
    RelatedPage,
)
from .documents import MRDocument  # noqa: F401
from .indexes import (  # noqa: F401
    GoodExampleIndexPage,
    GuidanceIndexPage,
    MethodIndexPage,
    RightsAreaPage,
)
from .pages import HomePage, StandardPage  # noqa: F401
from .taxonomy import (  # noqa: F401
    OrganisationUnit,
    Principle,
    RightsArea,
    StaircaseStep,
    TargetGroup,
)
