import pytest

from dobry.core.hooks import Hook


def test_a_hook_calls_its_receivers_in_order_with_the_keywords_sent():
    hook = Hook("test.thing_done", arguments="thing: str")
    calls = []
    hook.connect(lambda *, thing: calls.append(("first", thing)))
    hook.connect(lambda *, thing: calls.append(("second", thing)))
    hook.send(thing="x")
    assert calls == [("first", "x"), ("second", "x")]


def test_connecting_the_same_receiver_twice_calls_it_once():
    hook = Hook("test.thing_done", arguments="")
    calls = []

    def receiver() -> None:
        calls.append(1)

    hook.connect(receiver)
    hook.connect(receiver)
    hook.send()
    assert calls == [1]
    assert hook.receivers == (receiver,)


def test_a_receivers_error_reaches_the_sender_so_its_transaction_rolls_back():
    hook = Hook("test.thing_done", arguments="")

    def failing() -> None:
        raise ValueError("no")

    hook.connect(failing)
    with pytest.raises(ValueError, match="no"):
        hook.send()


def test_a_disconnected_receiver_is_no_longer_called():
    hook = Hook("test.thing_done", arguments="")
    calls = []

    def receiver() -> None:
        calls.append(1)

    hook.connect(receiver)
    hook.disconnect(receiver)
    hook.send()
    assert calls == []
    assert "0 receivers" in repr(hook)
