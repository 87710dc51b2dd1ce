"""cms models: taxonomy snippets and page types."""

from .pages import HomePage  # noqa: F401
from .taxonomy import (  # noqa: F401
    OrganisationUnit,
    Principle,
    RightsArea,
    StaircaseStep,
    TargetGroup,
)
