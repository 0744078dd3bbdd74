// The request's CSP nonce, for the <script> tags React renders. The server provides it; in the
// browser it is "" (browsers hide nonces from the page, and hydration needs none).
import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
