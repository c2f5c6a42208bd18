"""History rows for what a deletion changes besides the deleted row.

Django empties a `SET_NULL` reference with one UPDATE, which no history sees: deleting a
Sozialraum or a staff account would silently change Akteure and offerings. Before the delete,
each such row gets a history row with the reference emptied and the reason. (`CASCADE`d rows get
their own "gelöscht" row from django-simple-history; references a deletion would break more
seriously are `PROTECT`, and the admin then lists what hangs on the record.)
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_delete
from django.utils.translation import gettext
from simple_history.utils import get_history_manager_for_model


def _mit_verlauf(model):
    return hasattr(model._meta, "simple_history_manager_attribute")


def geleerte_verweise(model):
    """The references to `model` that Django sets to NULL on delete, of models with history."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)  # geprueft_von has no reverse
        if rel.auto_created
        and not rel.concrete
        and getattr(rel, "on_delete", None) is models.SET_NULL
        and not rel.many_to_many
        and _mit_verlauf(rel.related_model)
    ]


def verweise_festhalten(sender, instance, using, **kwargs):
    for rel in geleerte_verweise(sender):
        feld = rel.field
        kinder = list(feld.model._base_manager.using(using).filter(**{feld.name: instance}))
        if not kinder:
            continue
        for kind in kinder:
            setattr(kind, feld.attname, None)
        grund = gettext("„%(feld)s“ geleert: %(art)s „%(name)s“ wurde gelöscht.") % {
            "feld": feld.verbose_name,
            "art": sender._meta.verbose_name,
            "name": instance,
        }
        get_history_manager_for_model(feld.model).bulk_history_create(
            kinder,
            update=True,
            default_change_reason=grund[:100],  # the column's length
        )


def verbinden():
    """Connect only the models that have such references: others stay fast to delete."""
    for model in apps.get_models():
        if geleerte_verweise(model):
            pre_delete.connect(verweise_festhalten, sender=model, dispatch_uid=f"verlauf-{model}")
