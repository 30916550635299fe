from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The service categories of the Designers Italia "Modello Comuni"."""

    REGISTRY = "anagrafe-e-stato-civile", _("Anagrafe e stato civile")
    CULTURE = "cultura-e-tempo-libero", _("Cultura e tempo libero")
    WORK = "vita-lavorativa", _("Vita lavorativa")
    BUSINESS = "imprese-e-commercio", _("Imprese e commercio")
    PROCUREMENT = "appalti-pubblici", _("Appalti pubblici")
    PLANNING = "catasto-e-urbanistica", _("Catasto e urbanistica")
    TOURISM = "turismo", _("Turismo")
    MOBILITY = "mobilita-e-trasporti", _("Mobilità e trasporti")
    EDUCATION = "educazione-e-formazione", _("Educazione e formazione")
    JUSTICE = "giustizia-e-sicurezza-pubblica", _("Giustizia e sicurezza pubblica")
    TAXES = "tributi-finanze-e-contravvenzioni", _("Tributi, finanze e contravvenzioni")
    ENVIRONMENT = "ambiente", _("Ambiente")
    HEALTH = "salute-benessere-e-assistenza", _("Salute, benessere e assistenza")
    AUTHORISATIONS = "autorizzazioni", _("Autorizzazioni")
    AGRICULTURE = "agricoltura-e-pesca", _("Agricoltura e pesca")


class Status(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    PRIVATE = "private", _("Privato")
    PUBLISHED = "published", _("Pubblicato")
    SUSPENDED = "suspended", _("Sospeso")
    SCHEDULED = "scheduled", _("Programmato")


class Kind(models.TextChoices):
    APPLICATION = "application", _("Domanda online")
    APPOINTMENT = "appointment", _("Prenotazione appuntamento")
    ROOM = "room", _("Prenotazione spazi")


class AccessLevel(models.TextChoices):
    """Ordered from the weakest: a higher level satisfies every lower one."""

    ANONYMOUS = "anonymous", _("Accesso libero")
    SPID1 = "spid1", _("SPID livello 1")
    SPID2 = "spid2", _("SPID livello 2 o CIE")
    CIE = "cie", _("Solo CIE")


ACCESS_ORDER = [AccessLevel.ANONYMOUS, AccessLevel.SPID1, AccessLevel.SPID2, AccessLevel.CIE]
