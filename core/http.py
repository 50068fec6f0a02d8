def base_url(request) -> str:
    """Links in e-mails point at the site the person used."""
    return request.build_absolute_uri("/")
