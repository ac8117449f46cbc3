from django.db import models

from pubcredit.rules.repair import APP_STATE_LABELS, OBJ_STATE_LABELS, AppState, ObjState

ApplicationStateChoice = models.TextChoices(
    "ApplicationStateChoice", [(s.name, (s.value, APP_STATE_LABELS[s])) for s in AppState])
ObjectionStateChoice = models.TextChoices(
    "ObjectionStateChoice", [(s.name, (s.value, OBJ_STATE_LABELS[s])) for s in ObjState])
