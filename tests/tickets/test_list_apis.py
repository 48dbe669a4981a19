"""The queue's reference lists: business types and counters."""

from tests.factories import CounterFactory


def test_the_business_type_list_answers_the_contract_shape(clerk_api, hall, types, counter):
    body = clerk_api.get(f"/api/business-types/?hall={hall.pk}").json()

    assert body["count"] == 5
    first = body["results"][0]
    assert {"id", "code", "name", "counters"} <= first.keys()
    assert first["code"] == "A"
    assert first["counters"] == [counter.pk]
    assert [row["code"] for row in body["results"]] == list("ABCDE")


def test_the_counter_list_answers_the_contract_shape(clerk_api, clerk, hall, types, counter):
    CounterFactory(hall=hall, number=2, status="paused", serves=[types["C"]])

    body = clerk_api.get(f"/api/counters/?hall={hall.pk}").json()

    assert body["count"] == 2
    first, second = body["results"]
    assert first == first | {
        "id": counter.pk,
        "number": 1,
        "business_types": ["A", "B"],
        "status": "open",
        "clerk": clerk.pk,
    }
    assert "name" in first
    assert (second["number"], second["status"], second["clerk"]) == (2, "paused", None)
