// Who is signed in and what they may do. `allowed` comes from the gateway's policy (GET
// /api/v1/auth/me), the one source: the app hides what a role may not use, the gateway refuses it.
import { useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";

import { api, unwrap } from "../api/client";
import { endSession, onSessionChange, refreshSession, startSession } from "./session";

export interface Me {
  user_id: string;
  email?: string | null;
  roles: string[];
  contact_id?: string | null;
  allowed?: string[];
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface Auth {
  status: "loading" | "anonymous" | "signed-in";
  me: Me | null;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** May the caller call this route template, e.g. can("PATCH", "/contacts/contacts/{contact_id}")? */
  can: (method: Method, template: string) => boolean;
  isStaff: boolean;
}

const AuthContext = createContext<Auth | null>(null);
const STAFF_ROLES = ["admin", "secretary", "treasurer", "communications", "read_only"];

async function fetchMe(): Promise<Me> {
  return (await unwrap(api.GET("/api/v1/auth/me"))) as Me;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);
  const [status, setStatus] = useState<Auth["status"]>("loading");

  const signedOut = useCallback(() => {
    setMe(null);
    setStatus("anonymous");
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => onSessionChange(signedOut), [signedOut]);

  useEffect(() => {
    // A reload keeps the session through the refresh cookie, not through stored tokens.
    let cancelled = false;
    void (async () => {
      const renewed = await refreshSession();
      const who = renewed ? await fetchMe().catch(() => null) : null;
      if (cancelled) return;
      setMe(who);
      setStatus(who ? "signed-in" : "anonymous");
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const tokens = await unwrap(
      api.POST("/api/v1/auth/login", {
        body: { email, password, use_cookie: true },
      }),
    );
    startSession(tokens);
    setMe(await fetchMe());
    setStatus("signed-in");
  }, []);

  const logout = useCallback(async () => {
    await api.POST("/api/v1/auth/logout").catch(() => undefined);
    endSession();
    signedOut();
  }, [signedOut]);

  const value = useMemo<Auth>(() => {
    const allowed = new Set(me?.allowed ?? []);
    return {
      status,
      me,
      login,
      logout,
      can: (method, template) => allowed.has(`${method} /api/v1${template}`),
      isStaff: (me?.roles ?? []).some((role) => STAFF_ROLES.includes(role)),
    };
  }, [status, me, login, logout]);

  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): Auth {
  const value = use(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}
