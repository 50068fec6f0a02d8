import pytest


@pytest.mark.django_db
def test_home_page_renders_inside_the_base_template(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert '<nav id="site-menu" class="shell-nav" aria-label="Main" popover>' in html
    assert "Machine Learning Engineer ladder" in html
