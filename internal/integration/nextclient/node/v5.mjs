import * as client from "next-auth-v5/react";
import { mount } from "./harness.mjs";
mount("v5", client);
