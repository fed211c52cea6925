import { Link, Navigate, NavLink, Route, Routes, useLocation } from "react-router-dom";
import { SessionProvider, useSession } from "./session";
import SignIn from "./pages/SignIn";
import Notifications from "./pages/Notifications";
import NewNotification from "./pages/NewNotification";
import NotificationPage from "./pages/Notification";
import GraphPage from "./pages/Graph";
import Audit from "./pages/Audit";
import Portfolio from "./pages/Portfolio";

export default function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

// Government systems mark every page with the highest classification it shows,
// at the top and the bottom.
function Banner({ where }: { where: "top" | "bottom" }) {
  const { level } = useSession();
  return (
    <div className={`banner banner-${level}`} data-testid={`banner-${where}`}>
      {level}
    </div>
  );
}

function home(role: string) {
  return role === "auditor" ? "/audit" : "/notifications";
}

function Shell() {
  const { me, loading, signOut } = useSession();
  const location = useLocation();
  if (loading) return <p className="loading">Loading…</p>;
  return (
    <>
      <Banner where="top" />
      <header className="top">
        <Link to="/" className="brand">
          netvet
        </Link>
        {me && (
          <nav aria-label="Main">
            {me.role !== "auditor" && me.role !== "admin" && <NavLink to="/notifications">Notifications</NavLink>}
            {me.role === "operator" && <NavLink to="/notifications/new">New notification</NavLink>}
            {(me.role === "assessor" || me.role === "approver") && <NavLink to="/portfolio">Portfolio</NavLink>}
            {me.role === "auditor" && <NavLink to="/audit">Audit log</NavLink>}
          </nav>
        )}
        {me && (
          <div className="who" data-testid="who">
            <span title="user">{me.name}</span>
            <span className="tag" title="role">
              role: {me.role}
            </span>
            <span className="tag" title="tenant">
              tenant: {me.tenant}
            </span>
            <span className="tag" title="clearance">
              clearance: {me.role === "operator" ? "UNCLASSIFIED (operator)" : me.clearance}
            </span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main>
        {!me ? (
          location.pathname === "/signin" ? (
            <SignIn />
          ) : (
            <Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />
          )
        ) : (
          <Routes>
            <Route path="/" element={<Navigate to={home(me.role)} replace />} />
            <Route path="/signin" element={<Navigate to={home(me.role)} replace />} />
            <Route path="/notifications" element={<Notifications />} />
            <Route path="/notifications/new" element={<NewNotification />} />
            <Route path="/notifications/:id" element={<NotificationPage />} />
            <Route path="/notifications/:id/graph" element={<GraphPage />} />
            <Route path="/audit" element={<Audit />} />
            <Route path="/portfolio" element={<Portfolio />} />
            <Route path="*" element={<p>No such page. <Link to="/">Home</Link></p>} />
          </Routes>
        )}
      </main>
      <Banner where="bottom" />
    </>
  );
}
