// Who is signed in (GET /me), and the classification of what the current page
// shows: each page reports the levels it displays, the banners show the highest.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { api, highest, session, type Level, type Me } from "./api";

interface SessionState {
  me: Me | null;
  loading: boolean;
  signIn: (token: string) => Promise<void>;
  signOut: () => void;
  level: Level;
  setLevels: (levels: string[]) => void;
}

const Ctx = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(!!session.token());
  const [level, setLevel] = useState<Level>("UNCLASSIFIED");

  useEffect(() => {
    if (!session.token()) return;
    api<Me>("GET", "/me")
      .then(setMe)
      .catch(() => session.clear())
      .finally(() => setLoading(false));
  }, []);

  const signIn = async (token: string) => {
    session.set(token);
    try {
      setMe(await api<Me>("GET", "/me"));
    } catch (e) {
      session.clear();
      throw e;
    }
  };
  const signOut = () => {
    session.clear();
    setMe(null);
  };
  const setLevels = (levels: string[]) => setLevel(highest(levels));
  return <Ctx.Provider value={{ me, loading, signIn, signOut, level, setLevels }}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

// A page declares the classifications it shows; the banner follows.
export function usePageLevels(levels: string[]) {
  const { setLevels } = useSession();
  const key = levels.join(",");
  useEffect(() => {
    setLevels(levels);
    return () => setLevels([]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
