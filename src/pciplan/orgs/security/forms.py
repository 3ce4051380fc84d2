from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(label="Mã xác thực (6 chữ số)", max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "class": "form-control", "autofocus": True}))
