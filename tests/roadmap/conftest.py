def admin_form_data(client, url: str, **changes) -> dict:
    """What the admin change form at `url` would post unchanged, with `changes` applied."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update(changes)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for i, f in enumerate(formset.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{formset.prefix}-{i}-{name}"] = value
    return data
