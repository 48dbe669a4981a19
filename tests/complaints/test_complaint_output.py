"""Every complaint answer is complaint_output's dict; ComplaintOutput is its schema. The two must say the same."""

import pytest

from complaints import services
from tests.factories import COMPLAINT, accept_complaint
from tests.files import upload
from tests.schema import api_schema
from tests.schema import type_errors as schema_type_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return api_schema()


# As with a ticket's counter_number: a complaint of no incident has always answered a null group_number that the
# published schema does not mark nullable.
NULL_DESPITE_THE_SCHEMA = {"group_number"}


def type_errors(schema: dict, answer: dict) -> list[str]:
    return schema_type_errors(schema, "ComplaintOutput", answer, null_anyway=NULL_DESPITE_THE_SCHEMA)


def test_every_complaint_answer_has_the_schemas_keys_and_types(schema, api_as, hall, clerk):
    api = api_as(clerk)
    taken = api.post("/api/complaints/", {"hall": hall.pk, **COMPLAINT}, format="json").json()
    lead = accept_complaint(hall, actor=clerk, phone="13900000001")
    member = accept_complaint(hall, actor=clerk, phone="13900000002", group=lead)
    investigated = api.post(
        f"/api/complaints/{taken['id']}/investigate/", {"note": "已联系", "evidence": [upload()]}, format="multipart"
    ).json()
    resolved = services.complaint_resolve(complaint=lead, resolution="已退费", customer_confirmed=True, actor=clerk)
    followed = api.post(f"/api/complaints/{resolved.pk}/follow-up/", {"satisfaction": 4}, format="json").json()
    answers = [taken, investigated, followed, api.get(f"/api/complaints/{member.pk}/").json()]
    answers += api.get("/api/complaints/").json()["results"]
    answers += api.get(f"/api/complaints/{lead.pk}/members/").json()

    assert {answer["status"] for answer in answers} >= {"accepted", "investigating", "followed_up"}
    assert any(answer["evidence"] for answer in answers)
    assert any(answer["group_number"] for answer in answers)
    assert any(answer["satisfaction"] for answer in answers)
    assert [type_errors(schema, answer) for answer in answers] == [[] for _answer in answers]


def test_a_complaint_just_taken_answers_as_it_reads_back(api_as, hall, clerk):
    api = api_as(clerk)
    taken = api.post("/api/complaints/", {"hall": hall.pk, **COMPLAINT}, format="json").json()

    assert api.get(f"/api/complaints/{taken['id']}/").json() == taken


def test_it_finds_a_value_of_the_wrong_type(schema, api_as, hall, clerk):
    answer = api_as(clerk).post("/api/complaints/", {"hall": hall.pk, **COMPLAINT}, format="json").json()

    assert type_errors(schema, {**answer, "urgent": "no"}) == ["urgent: 'no' is not boolean"]
    assert type_errors(schema, {**answer, "evidence": [1]}) == ["evidence: 1 is not str"]
    assert type_errors(schema, {**answer, "owner": None}) == ["owner: null where the schema has no null"]
