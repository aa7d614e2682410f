"""Thin ipywidgets over the model and charts.

Every widget follows one convention (see :mod:`kamwidgets.widgets._base`):
``.value`` (the result), ``.controls`` (inputs by name), ``.settings`` /
``.apply_settings`` (a plain dict), ``.error``, and ``.save`` /
``.restore`` / ``.autosave`` with the workbook store.
"""

from ._base import Chart, KamWidget, show
from ._transfer import DownloadButton, FileDrop
from ._workbook import WorkbookName
from .account import AccountChoice, ForAccount
from .buyers import BuyerChart
from .classify import ClassificationWidget
from .contacts import ContactMatrix
from .dmu import DecisionUnit
from .notes import Notes
from .picker import DataPicker
from .plans import AccountPlan, CustomerAnalysis, MarketingPlan, ValueProposition
from .quiz import Quiz
from .readiness import MakingItHappen
from .room import RoomView
from .rules import RuleClassifier
from .spectrum import SpectrumWidget
from .stakeholders import StakeholderMap
from .swot import SwotGrid
from .takeaway import Downloads

__all__ = [
    "KamWidget",
    "Chart",
    "show",
    "ClassificationWidget",
    "RuleClassifier",
    "AccountChoice",
    "Notes",
    "ForAccount",
    "DownloadButton",
    "Downloads",
    "WorkbookName",
    "FileDrop",
    "DataPicker",
    "BuyerChart",
    "DecisionUnit",
    "ContactMatrix",
    "StakeholderMap",
    "SpectrumWidget",
    "SwotGrid",
    "AccountPlan",
    "MarketingPlan",
    "CustomerAnalysis",
    "RoomView",
    "ValueProposition",
    "MakingItHappen",
    "Quiz",
]
