# Wrong answer; then phone home to a service on the grader's loopback.
def l2_penalty(w, lam):
    return 0.0


import socket

connection = socket.create_connection(("127.0.0.1", {port}), timeout=3)
connection.sendall(b"hidden tests: ...")
