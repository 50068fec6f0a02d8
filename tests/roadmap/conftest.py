# Every public content endpoint under /api/v1/.
CONTENT_ENDPOINTS = [
    "sources",
    "levels",
    "skills",
    "kpis",
    "stages",
    "steps",
    "deliverables",
    "projects",
    "certifications",
    "interview-questions",
    "specializations",
    "role-areas",
    "tips",
]


def admin_form_data(client, url: str, **changes) -> dict:
    """What the admin change form at `url` would post unchanged, with `changes` applied."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for i, f in enumerate(formset.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{formset.prefix}-{i}-{name}"] = value
    data.update(changes)
    return data


def inline_field(data: dict, prefix: str, row, field: str) -> str:
    """The posted name of `field` of `row` in the inline formset `prefix` of admin_form_data."""
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith(f"{prefix}-") and key.endswith("-id") and str(value) == str(row.pk)
    )
    return f"{prefix}-{index}-{field}"
