"""The form fields the apps' pages share: a phone number, the customer's satisfaction, a desk list's filters."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from hall.errors import ApplicationError
from hall.logins import lockout_message, login_lockout
from hall.models import PHONE_PATTERN

SCORES = [
    (5, gettext_lazy("Very satisfied")),
    (4, gettext_lazy("Satisfied")),
    (3, gettext_lazy("Neutral")),
    (2, gettext_lazy("Dissatisfied")),
    (1, gettext_lazy("Very dissatisfied")),
]


def phone_field() -> forms.RegexField:
    return forms.RegexField(
        label=gettext_lazy("Phone"),
        regex=PHONE_PATTERN,
        max_length=20,
        error_messages={"invalid": gettext_lazy("Enter a phone number of digits only.")},
    )


class FilterForm(forms.Form):
    """A desk list's filters from the query string."""

    def problems(self) -> list[str]:
        """What was wrong with the filters, one line each; the wrong ones are left out of cleaned_data."""
        self.is_valid()
        return [f"{self.fields[name].label or name}: {' '.join(errors)}" for name, errors in self.errors.items()]

    def value(self, name):
        return self.cleaned_data.get(name)


def posted_satisfaction(request) -> int:
    """The customer's 1–5 posted by a repair callback or a complaint follow-up form."""
    score = request.POST.get("satisfaction", "")
    if score not in {str(value) for value, _label in SCORES}:
        raise ApplicationError(gettext_lazy("Choose how satisfied the customer is, from 1 to 5."))
    return int(score)


class LockoutMessage:
    """A sign-in form that says so when the username or the address is locked out, rather than "wrong password"."""

    def get_invalid_login_error(self):
        lockout = login_lockout(self.request, self.cleaned_data.get("username"))
        if lockout is None:
            return super().get_invalid_login_error()
        return ValidationError(lockout_message(lockout), code="locked")


class SignInForm(LockoutMessage, AuthenticationForm):
    pass


class AdminSignInForm(LockoutMessage, AdminAuthenticationForm):
    pass
