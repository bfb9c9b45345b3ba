from django.db import models


class FormSubmission(models.Model):
    """A create form that has been saved, by its one-time key (core.forms.SubmittedOnce). The
    same form sent again (a double click, a request the browser repeats) finds its key here and
    creates nothing more. Not domain data: kept a day, without history."""

    key = models.UUIDField(primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return str(self.key)
