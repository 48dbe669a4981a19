import pytest

from hall.errors import InvalidTransition
from tests.factories import issue, serve
from tickets import selectors, services
from tickets.models import Rating


@pytest.fixture
def finished(hall, types, counter, clerk):
    issue(hall, types["A"])
    return serve(counter, clerk)


def test_a_finished_visit_can_be_rated_by_its_public_link_without_login(api, finished):
    response = api.post(f"/api/tickets/rate/{finished.token}/", {"score": 4, "comment": "quick"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json() == response.json() | {"number": "A001", "score": 4, "satisfied": True}
    rating = Rating.objects.get(ticket=finished)
    assert (rating.score, rating.comment, rating.satisfied) == (4, "quick", True)


def test_three_is_not_satisfied(api, finished):
    assert api.post(f"/api/tickets/rate/{finished.token}/", {"score": 3}, format="json").json()["satisfied"] is False


def test_a_visit_is_rated_once(api, finished):
    api.post(f"/api/tickets/rate/{finished.token}/", {"score": 5}, format="json")

    response = api.post(f"/api/tickets/rate/{finished.token}/", {"score": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert Rating.objects.get(ticket=finished).score == 5


@pytest.mark.parametrize("status", ["waiting", "called", "serving", "no_show", "cancelled"])
def test_only_a_finished_visit_can_be_rated(api, hall, types, counter, status):
    ticket = issue(hall, types["A"])
    if status == "cancelled":
        services.ticket_cancel(ticket=ticket)
    elif status != "waiting":
        services.ticket_call_next(counter=counter)
        if status == "serving":
            services.ticket_start(ticket=ticket)
        if status == "no_show":
            services.ticket_no_show(ticket=ticket)

    response = api.post(f"/api/tickets/rate/{ticket.token}/", {"score": 5}, format="json")

    assert response.status_code == 409
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1, "five", None, 4.5])
def test_a_score_outside_1_to_5_answers_400(api, finished, score):
    response = api.post(f"/api/tickets/rate/{finished.token}/", {"score": score}, format="json")

    assert response.status_code == 400
    assert isinstance(response.json()["score"], list)
    assert not Rating.objects.exists()


def test_an_over_long_comment_answers_400(api, finished):
    response = api.post(f"/api/tickets/rate/{finished.token}/", {"score": 5, "comment": "x" * 501}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    assert not Rating.objects.exists()


def test_an_unknown_token_answers_404(api, finished):
    assert api.post("/api/tickets/rate/nope/", {"score": 5}, format="json").status_code == 404


@pytest.mark.parametrize("token", ["%00", "a%00b", "%E2%80%AE"])
def test_a_token_no_link_can_hold_answers_404(api, finished, token):
    assert api.get(f"/api/tickets/status/{token}/").status_code == 404
    assert api.post(f"/api/tickets/rate/{token}/", {"score": 5}, format="json").status_code == 404
    assert not Rating.objects.exists()


def test_the_service_refuses_a_second_rating(finished):
    services.ticket_rate(ticket=finished, score=2)
    with pytest.raises(InvalidTransition):
        services.ticket_rate(ticket=finished, score=5)
    assert Rating.objects.count() == 1


def test_the_counters_pad_asks_about_the_last_unrated_visit(finished, counter):
    assert selectors.counter_last_finished(counter) == finished
    services.ticket_rate(ticket=finished, score=5)
    assert selectors.counter_last_finished(counter) is None


def test_the_status_page_says_when_a_visit_was_rated(api, finished):
    assert api.get(f"/api/tickets/status/{finished.token}/").json()["rated"] is False
    services.ticket_rate(ticket=finished, score=5)
    assert api.get(f"/api/tickets/status/{finished.token}/").json()["rated"] is True
