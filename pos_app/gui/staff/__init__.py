"""Staff at the counter: the login screen (`login.LoginScreen`: pick your name, type your PIN
on a pad) and the inactivity lock (`idle.IdleLock`). PIN checks and the persistent 5-tries
lockout are the terminal service's (`pos_app.terminal.staff`), so they hold offline and across
restarts; these widgets only ask and show."""
