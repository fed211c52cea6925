import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../api";
import { useSession } from "../session";

// A name and password (POST /sessions gives a token), or an API token that
// `netvet admin user add` printed. The token lives in this tab only.
export default function SignIn() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [token, setToken] = useState("");
  const [error, setError] = useState("");

  const done = () => {
    const next = params.get("next");
    navigate(next && next.startsWith("/") && next !== "/signin" ? next : "/", { replace: true });
  };
  const withPassword = async (e: FormEvent) => {
    e.preventDefault();
    setError("");
    try {
      const r = await api<{ token: string }>("POST", "/sessions", { name, password });
      await signIn(r.token);
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const withToken = async (e: FormEvent) => {
    e.preventDefault();
    setError("");
    try {
      await signIn(token.trim());
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="signin">
      <h1>Sign in to netvet</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="cols">
        <form onSubmit={withPassword} aria-labelledby="pw-h">
          <h2 id="pw-h">With a password</h2>
          <label>
            User name
            <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          <button type="submit">Sign in</button>
        </form>
        <form onSubmit={withToken} aria-labelledby="tok-h">
          <h2 id="tok-h">With an API token</h2>
          <label>
            API token (nvt_…, printed by <code>netvet admin user add</code>)
            <input name="token" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
          </label>
          <button type="submit">Sign in with token</button>
        </form>
      </div>
    </section>
  );
}
