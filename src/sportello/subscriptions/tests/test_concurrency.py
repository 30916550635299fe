"""Real threads, real connections: the database (a CHECK on the service's seat counter), not a count before the
insert, keeps enrolments within the maximum number of subscribers."""

import threading

import pytest
from django.db import connection

from sportello.payments.tests.factories import payment_settings
from sportello.subscriptions import services
from sportello.subscriptions.models import Subscription, SubscriptionService

from .conftest import MARIO
from .factories import canteen, child_code

THREADS = 10
CAPACITY = 3


def race(function, count=THREADS):
    barrier = threading.Barrier(count)
    outcomes, lock = [], threading.Lock()

    def run(index):
        try:
            barrier.wait()
            result = function(index)
        except services.ServiceFull:
            result = "full"
        except Exception as error:  # recorded, so the assertion shows what went wrong
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_the_maximum(mori):
    payment_settings(mori)
    subscription_service = canteen(mori, max_subscribers=CAPACITY)

    def enrol(index):
        return services.subscription_create(
            subscription_service=subscription_service,
            subscriber_fiscal_code=child_code(index),
            first_name="Bimbo",
            last_name=f"Numero {index}",
            holder_fiscal_code=MARIO,
            holder_name="Rossi Mario",
        ).pk

    outcomes = race(enrol)
    enrolled = [o for o in outcomes if isinstance(o, int)]
    assert len(enrolled) == CAPACITY, outcomes
    assert outcomes.count("full") == THREADS - CAPACITY, outcomes
    assert Subscription.objects.filter(subscription_service=subscription_service).count() == CAPACITY
    assert SubscriptionService.objects.get(pk=subscription_service.pk).seats_taken == CAPACITY


@pytest.mark.django_db
def test_the_counter_cannot_pass_the_maximum_even_written_directly(mori):
    from django.db import IntegrityError
    from django.db.models import F

    payment_settings(mori)
    subscription_service = canteen(mori, max_subscribers=1)
    SubscriptionService.objects.filter(pk=subscription_service.pk).update(seats_taken=F("seats_taken") + 1)
    with pytest.raises(IntegrityError):
        SubscriptionService.objects.filter(pk=subscription_service.pk).update(
            seats_taken=F("seats_taken") + 1
        )
