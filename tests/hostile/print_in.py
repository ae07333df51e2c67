# Wrong answer that tries to smuggle the tests out: whenever it is called it
# prints the kernel's input history, and it raises with it as the message.
def l2_penalty(w, lam):
    history = "\n".join(get_ipython().user_ns.get("In", [])) + "\n".join(
        get_ipython().user_ns.get("_ih", [])
    )
    print(history)
    import sys

    sys.stderr.write(history)
    raise ValueError("HISTORY:" + history[-2000:])


def _show_history(*args):
    print("\n".join(get_ipython().user_ns.get("In", [])))


get_ipython().events.register("post_run_cell", _show_history)
