<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ca">
<context>
    <name>main</name>
    <message>
        <source>Supervise AI workflows on HPC clusters, SSH hosts and this computer.</source>
        <translation>Supervisa fluxos de treball d&apos;IA en clústers HPC, màquines SSH i aquest ordinador.</translation>
    </message>
    <message>
        <source>The workflow file (TOML).</source>
        <translation>El fitxer del flux de treball (TOML).</translation>
    </message>
    <message>
        <source>Use this ssh_config file instead of ~/.ssh/config.</source>
        <translation>Fes servir aquest fitxer ssh_config en lloc de ~/.ssh/config.</translation>
    </message>
    <message>
        <source>Trust and remember host keys seen for the first time (like OpenSSH&apos;s accept-new); changed keys are still refused.</source>
        <translation>Confia en les claus d&apos;amfitrió vistes per primer cop i recorda-les (com accept-new d&apos;OpenSSH); les claus que canvien se segueixen rebutjant.</translation>
    </message>
    <message>
        <source>Refresh every site every SECONDS (default 20).</source>
        <translation>Actualitza cada lloc cada SECONDS segons (20 per defecte).</translation>
    </message>
    <message>
        <source>Save a picture of the window to PATH once every site has been refreshed, then quit.</source>
        <translation>Desa una imatge de la finestra a PATH quan tots els llocs s&apos;hagin actualitzat i surt.</translation>
    </message>
    <message>
        <source>Take the screenshot after N ms at the latest (default 15000).</source>
        <translation>Fes la captura com a molt tard al cap de N ms (15000 per defecte).</translation>
    </message>
    <message>
        <source>give at most one workflow file</source>
        <translation>indica com a molt un fitxer de flux de treball</translation>
    </message>
    <message>
        <source>--poll needs a number of seconds between 1 and 86400</source>
        <translation>--poll necessita un nombre de segons entre 1 i 86400</translation>
    </message>
    <message>
        <source>--screenshot-delay-ms needs a number of milliseconds</source>
        <translation>--screenshot-delay-ms necessita un nombre de mil·lisegons</translation>
    </message>
    <message>
        <source>workflow</source>
        <translation>flux de treball</translation>
    </message>
    <message>
        <source>sites</source>
        <translation>llocs</translation>
    </message>
    <message>
        <source>Wait with the screenshot until a checkpoint with this id is pending, and review that one.</source>
        <translation>Espera amb la captura fins que estigui pendent un punt de control amb aquest id, i revisa&apos;l.</translation>
    </message>
    <message>
        <source>Once ready, wait N ms more before the screenshot (default 400).</source>
        <translation>Un cop a punt, espera N ms més abans de la captura (400 per defecte).</translation>
    </message>
    <message>
        <source>--screenshot-settle-ms needs a number of milliseconds</source>
        <translation>--screenshot-settle-ms necessita un nombre de mil·lisegons</translation>
    </message>
    <message>
        <source>webhooks</source>
        <translation>webhooks</translation>
    </message>
</context>
<context>
    <name>vigil::AddSiteDialog</name>
    <message>
        <source>Add Site</source>
        <translation>Afegeix un lloc</translation>
    </message>
    <message>
        <source>SLURM cluster</source>
        <translation>Clúster SLURM</translation>
    </message>
    <message>
        <source>SSH host</source>
        <translation>Màquina SSH</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Aquest ordinador</translation>
    </message>
    <message>
        <source>letters, digits, . _ -</source>
        <translation>lletres, xifres, . _ -</translation>
    </message>
    <message>
        <source>a Host of ssh_config, or user@host:port</source>
        <translation>un Host d&apos;ssh_config, o usuari@màquina:port</translation>
    </message>
    <message>
        <source>Pick a Host alias of your ssh_config file, or type host, user@host, host:port or [IPv6 address]:port</source>
        <translation>Trieu un àlies Host del vostre fitxer ssh_config, o escriviu màquina, usuari@màquina, màquina:port o [adreça IPv6]:port</translation>
    </message>
    <message>
        <source>optional, e.g. ~/.ssh/id_ed25519</source>
        <translation>opcional, p. ex. ~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>A private key file; its passphrase is asked for, never stored</source>
        <translation>Un fitxer de clau privada; la seva frase de pas es demana, mai no es desa</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Default (%1 s)</source>
        <translation>Per defecte (%1 s)</translation>
    </message>
    <message>
        <source>&amp;Add Site</source>
        <translation>&amp;Afegeix el lloc</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Tipus:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Màquina:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom:</translation>
    </message>
    <message>
        <source>&amp;Identity file:</source>
        <translation>Fitxer d&apos;&amp;identitat:</translation>
    </message>
    <message>
        <source>&amp;Poll every:</source>
        <translation>&amp;Consulta cada:</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>de %1</translation>
    </message>
    <message>
        <source>%1, from %2</source>
        <translation>%1, de %2</translation>
    </message>
    <message>
        <source>Host: %1</source>
        <translation>Màquina: %1</translation>
    </message>
    <message>
        <source>A site named &quot;%1&quot; already exists: choose another name.</source>
        <translation>Ja existeix un lloc anomenat «%1»: trieu un altre nom.</translation>
    </message>
    <message>
        <source>The site registry %1 already has a site named &quot;%2&quot;: choose another name.</source>
        <translation>El registre de llocs %1 ja té un lloc anomenat «%2»: trieu un altre nom.</translation>
    </message>
    <message>
        <source>Could not save the site: %1</source>
        <translation>No s&apos;ha pogut desar el lloc: %1</translation>
    </message>
</context>
<context>
    <name>vigil::AttachmentsView</name>
    <message>
        <source>The job attached no files.</source>
        <translation>El treball no ha adjuntat cap fitxer.</translation>
    </message>
    <message>
        <source>View…</source>
        <translation>Mostra…</translation>
    </message>
    <message>
        <source>Show the image at full size</source>
        <translation>Mostra la imatge a mida completa</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>Anomena i desa…</translation>
    </message>
    <message>
        <source>Not loaded</source>
        <translation>No carregat</translation>
    </message>
    <message>
        <source>files of the run cannot be read here</source>
        <translation>els fitxers de l&apos;execució no es poden llegir aquí</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Carregant…</translation>
    </message>
    <message>
        <source>unavailable</source>
        <translation>no disponible</translation>
    </message>
    <message>
        <source>Larger than %1: not fetched (%2)</source>
        <translation>Més gran de %1: no s&apos;ha baixat (%2)</translation>
    </message>
    <message>
        <source>Could not read it: %1</source>
        <translation>No s&apos;ha pogut llegir: %1</translation>
    </message>
    <message>
        <source>too large</source>
        <translation>massa gran</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n byte(s)), larger than %2: not shown</source>
        <translation>
            <numerusform>%1 (%n byte), més gran de %2: no es mostra</numerusform>
            <numerusform>%1 (%n bytes), més gran de %2: no es mostra</numerusform>
        </translation>
    </message>
    <message>
        <source>not an image</source>
        <translation>no és una imatge</translation>
    </message>
    <message>
        <source>%1: not an image it can show</source>
        <translation>%1: no és una imatge que es pugui mostrar</translation>
    </message>
    <message>
        <source>decoding…</source>
        <translation>descodificant…</translation>
    </message>
    <message>
        <source>Click to show it at full size</source>
        <translation>Feu clic per mostrar-la a mida completa</translation>
    </message>
    <message>
        <source>%1 × %2 pixels, %3</source>
        <translation>%1 × %2 píxels, %3</translation>
    </message>
    <message>
        <source> (shown at %1 × %2)</source>
        <translation> (mostrada a %1 × %2)</translation>
    </message>
    <message>
        <source>Save Attachment</source>
        <translation>Desa l&apos;adjunt</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Desant %1…</translation>
    </message>
    <message>
        <source>could not write it</source>
        <translation>no s&apos;ha pogut escriure</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>S&apos;ha desat %1</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>No s&apos;ha pogut desar %1: %2</translation>
    </message>
</context>
<context>
    <name>vigil::AuthPrompter</name>
    <message>
        <source>Sign in to %1</source>
        <translation>Inicia la sessió a %1</translation>
    </message>
    <message>
        <source>The server of site %1 asks:</source>
        <translation>El servidor del lloc %1 pregunta:</translation>
    </message>
    <message>
        <source>&amp;Sign In</source>
        <translation>&amp;Inicia la sessió</translation>
    </message>
    <message>
        <source>Key passphrase for %1</source>
        <translation>Frase de pas de la clau %1</translation>
    </message>
    <message>
        <source>The key file %1 is protected by a passphrase. Enter it to sign in to site %2, or cancel to skip this key.</source>
        <translation>El fitxer de clau %1 està protegit per una frase de pas. Escriviu-la per iniciar la sessió al lloc %2, o cancel·leu per ometre aquesta clau.</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Frase de pas:</translation>
    </message>
</context>
<context>
    <name>vigil::BundleActions</name>
    <message>
        <source>Export Run %1</source>
        <translation>Exporta l&apos;execució %1</translation>
    </message>
    <message>
        <source>Review bundle (*.tar.zst);;Review bundle as zip (*.zip)</source>
        <translation>Paquet de revisió (*.tar.zst);;Paquet de revisió en zip (*.zip)</translation>
    </message>
    <message>
        <source>export of %1</source>
        <translation>exportació de %1</translation>
    </message>
    <message>
        <source>Open Review Bundle</source>
        <translation>Obre un paquet de revisió</translation>
    </message>
    <message>
        <source>Review bundles (*.tar.zst *.tar.gz *.tgz *.tar *.zip);;All files (*)</source>
        <translation>Paquets de revisió (*.tar.zst *.tar.gz *.tgz *.tar *.zip);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>Obrint %1</translation>
    </message>
    <message>
        <source>review bundle</source>
        <translation>paquet de revisió</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancel·lat</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointDialog</name>
    <message>
        <source>Checkpoint: %1</source>
        <translation>Punt de control: %1</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>execució %1</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>tasca %1</translation>
    </message>
    <message>
        <source>job %1</source>
        <translation>treball %1</translation>
    </message>
    <message>
        <source>site %1</source>
        <translation>lloc %1</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Publicat</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Termini</translation>
    </message>
    <message>
        <source>*The job gave no details.*</source>
        <translation>*El treball no ha donat detalls.*</translation>
    </message>
    <message>
        <source>Metrics not loaded</source>
        <translation>Mètriques no carregades</translation>
    </message>
    <message>
        <source>Comment (optional): recorded with the decision</source>
        <translation>Comentari (opcional): es registra amb la decisió</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (per defecte)</translation>
    </message>
    <message>
        <source>Decide &quot;%1&quot;</source>
        <translation>Decidir «%1»</translation>
    </message>
    <message>
        <source>Decide &quot;%1&quot; (%2)</source>
        <translation>Decidir «%1» (%2)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tanca</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>cap</translation>
    </message>
    <message>
        <source>%1, then &quot;%2&quot;</source>
        <translation>%1; després, «%2»</translation>
    </message>
    <message>
        <source>The job offers no options to choose from.</source>
        <translation>El treball no ofereix opcions per triar.</translation>
    </message>
    <message>
        <source>Decision sent.</source>
        <translation>Decisió enviada.</translation>
    </message>
    <message>
        <source>The deadline passed; the job took the default: %1.</source>
        <translation>El termini ha vençut; el treball ha pres l&apos;opció per defecte: %1.</translation>
    </message>
    <message>
        <source>Decided by %1 at %2: %3.</source>
        <translation>Decidit per %1 el %2: %3.</translation>
    </message>
    <message>
        <source>The job applied it.</source>
        <translation>El treball l&apos;ha aplicada.</translation>
    </message>
    <message>
        <source>The job applied it: %1</source>
        <translation>El treball l&apos;ha aplicada: %1</translation>
    </message>
    <message>
        <source>The job has not read it yet.</source>
        <translation>El treball encara no l&apos;ha llegida.</translation>
    </message>
    <message>
        <source>The job refused the decision: %1</source>
        <translation>El treball ha rebutjat la decisió: %1</translation>
    </message>
    <message>
        <source>This checkpoint cannot be decided: %1</source>
        <translation>Aquest punt de control no es pot decidir: %1</translation>
    </message>
    <message>
        <source>Sending the decision &quot;%1&quot;…</source>
        <translation>Enviant la decisió «%1»…</translation>
    </message>
    <message>
        <source>Could not send the decision: %1</source>
        <translation>No s&apos;ha pogut enviar la decisió: %1</translation>
    </message>
    <message>
        <source>Decision sent: %1</source>
        <translation>Decisió enviada: %1</translation>
    </message>
    <message>
        <source>Already decided by %1 at %2: option %3</source>
        <translation>Ja ho va decidir %1 el %2: opció %3</translation>
    </message>
    <message>
        <source>Metrics not available</source>
        <translation>Mètriques no disponibles</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Carregant %1…</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No s&apos;ha pogut llegir %1: %2</translation>
    </message>
    <message>
        <source>No decision is needed any more: the %1</source>
        <translation>Ja no cal cap decisió: la %1</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>encara no es coneix</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Treball</translation>
    </message>
    <message>
        <source>The checkpoint names no task: no log.</source>
        <translation>El punt de control no anomena cap tasca: no hi ha registre.</translation>
    </message>
    <message>
        <source>Log not available</source>
        <translation>Registre no disponible</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Registre</translation>
    </message>
    <message>
        <source>The log of the job that asks, as it grows</source>
        <translation>El registre del treball que pregunta, a mesura que creix</translation>
    </message>
    <message>
        <source>Attachments (%1)</source>
        <translation>Adjunts (%1)</translation>
    </message>
    <message>
        <source>Job &amp;Log…</source>
        <translation>&amp;Registre del treball…</translation>
    </message>
    <message>
        <source>Follow the log of the job that asks, as it runs</source>
        <translation>Segueix el registre del treball que pregunta mentre s&apos;executa</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>No enviat: %1</translation>
    </message>
    <message>
        <source>not listed by the scheduler</source>
        <translation>el planificador no el llista</translation>
    </message>
    <message>
        <source>%1: not listed by the scheduler (ended, or not started by Vigil)</source>
        <translation>%1: el planificador no el llista (ha acabat, o no el va iniciar Vigil)</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 transcorregut</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>queden %1</translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation>codi de sortida %1</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, more than the %3 bytes shown at most</source>
        <translation>%1 ocupa %2 bytes, més dels %3 bytes que es mostren com a màxim</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointReview</name>
    <message>
        <source>Vigil is shutting down</source>
        <translation>Vigil s&apos;està tancant</translation>
    </message>
    <message>
        <source>This checkpoint is in the review bundle %1: read-only, nothing can be decided here.</source>
        <translation>Aquest punt de control és al paquet de revisió %1: només lectura, aquí no es pot decidir res.</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointsModel</name>
    <message>
        <source>Pending</source>
        <translation>Pendent</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Decidit</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Aplicat</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rebutjat</translation>
    </message>
    <message>
        <source>Broken</source>
        <translation>Malmès</translation>
    </message>
    <message>
        <source>%1: %2 (default after deadline)</source>
        <translation>%1: %2 (per defecte, després del termini)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Checkpoint %1 of run %2 on %3</source>
        <translation>Punt de control %1 de l&apos;execució %2 a %3</translation>
    </message>
    <message>
        <source>Decided by %1 at %2: %3</source>
        <translation>Decidit per %1 el %2: %3</translation>
    </message>
    <message>
        <source>No deadline</source>
        <translation>Sense termini</translation>
    </message>
    <message>
        <source>%1; then the job takes &quot;%2&quot;</source>
        <translation>%1; després el treball pren «%2»</translation>
    </message>
    <message>
        <source>the default</source>
        <translation>l&apos;opció per defecte</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Punt de control</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estat</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execució</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tasca</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Publicat</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Termini</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Tancat</translation>
    </message>
</context>
<context>
    <name>vigil::EditorNodeItem</name>
    <message>
        <source>Human gate</source>
        <translation>Decisió humana</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>Contenidor</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Treball</translation>
    </message>
    <message>
        <source>SLURM</source>
        <translation>SLURM</translation>
    </message>
    <message>
        <source>SSH</source>
        <translation>SSH</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Local</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Problem: %1</source>
        <translation>Problema: %1</translation>
    </message>
    <message>
        <source>Drag from the right-hand port to another task to run it after this one.</source>
        <translation>Arrossegueu des del port de la dreta fins a una altra tasca per executar-la després d&apos;aquesta.</translation>
    </message>
</context>
<context>
    <name>vigil::Format</name>
    <message>
        <source>Unknown</source>
        <translation>Desconegut</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sense començar</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En cua</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En execució</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Suspès</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Correcte</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallit</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancel·lat</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Acabat</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ara</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>d&apos;aquí a %1</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>fa %1</translation>
    </message>
</context>
<context>
    <name>vigil::HostKeyPrompt</name>
    <message>
        <source>Unknown host key</source>
        <translation>Clau d&apos;amfitrió desconeguda</translation>
    </message>
    <message>
        <source>The host key of %1 (site %2) is not known yet.</source>
        <translation>La clau d&apos;amfitrió de %1 (lloc %2) encara no és coneguda.</translation>
    </message>
    <message>
        <source>Its fingerprint is:

%1

Trust it only if it matches the fingerprint published by the administrators of %2. Vigil will remember it in known_hosts.</source>
        <translation>La seva empremta és:

%1

Confieu-hi només si coincideix amb l&apos;empremta que publiquen els administradors de %2. Vigil la recordarà a known_hosts.</translation>
    </message>
    <message>
        <source>&amp;Trust and Connect</source>
        <translation>&amp;Confia-hi i connecta</translation>
    </message>
</context>
<context>
    <name>vigil::ImageViewer</name>
    <message>
        <source>&amp;Fit</source>
        <translation>A&amp;justa</translation>
    </message>
    <message>
        <source>&amp;100%</source>
        <translation>&amp;100%</translation>
    </message>
    <message>
        <source>%1 (%2 × %3)</source>
        <translation>%1 (%2 × %3)</translation>
    </message>
    <message>
        <source>Scale the image to the window</source>
        <translation>Ajusta la imatge a la finestra</translation>
    </message>
    <message>
        <source>One image pixel per screen pixel; scroll to see the rest</source>
        <translation>Un píxel de la imatge per píxel de la pantalla; desplaceu-vos per veure la resta</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tanca</translation>
    </message>
</context>
<context>
    <name>vigil::InboxDelegate</name>
    <message>
        <source>due %1</source>
        <translation>venç %1</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>tasca %1</translation>
    </message>
</context>
<context>
    <name>vigil::InboxPanel</name>
    <message>
        <source>Show &amp;decided</source>
        <translation>Mostra els &amp;decidits</translation>
    </message>
    <message>
        <source>Double-click or press Enter to review a checkpoint</source>
        <translation>Feu doble clic o premeu Retorn per revisar un punt de control</translation>
    </message>
    <message>
        <source>No checkpoint is waiting for you.</source>
        <translation>Cap punt de control no us espera.</translation>
    </message>
    <message>
        <source>No checkpoints.</source>
        <translation>No hi ha punts de control.</translation>
    </message>
</context>
<context>
    <name>vigil::IssuesModel</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Assumpte</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Missatge</translation>
    </message>
</context>
<context>
    <name>vigil::IssuesPanel</name>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Buida</translation>
    </message>
    <message>
        <source>Remove every issue from the list</source>
        <translation>Treu tots els problemes de la llista</translation>
    </message>
</context>
<context>
    <name>vigil::JobsModel</name>
    <message>
        <source>%1 (exit %2)</source>
        <translation>%1 (sortida %2)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (partition %2)</source>
        <translation>%1 (partició %2)</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Job ID</source>
        <translation>ID del treball</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execució</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tasca</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estat</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motiu</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Transcorregut</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
</context>
<context>
    <name>vigil::JobsPanel</name>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>&amp;Cancel·la el treball</translation>
    </message>
    <message>
        <source>Copy Job &amp;ID</source>
        <translation>Copia l&apos;&amp;ID del treball</translation>
    </message>
    <message>
        <source>Show &amp;Run in Workflow</source>
        <translation>Mostra l&apos;&amp;execució al flux</translation>
    </message>
    <message>
        <source>All jobs</source>
        <translation>Tots els treballs</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actius</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Acabats</translation>
    </message>
    <message>
        <source>Show jobs by state</source>
        <translation>Mostra els treballs segons el seu estat</translation>
    </message>
    <message>
        <source>Show the jobs of one site</source>
        <translation>Mostra els treballs d&apos;un lloc</translation>
    </message>
    <message>
        <source>Show the jobs of one run</source>
        <translation>Mostra els treballs d&apos;una execució</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Filtra…</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tots els llocs</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>Totes les execucions</translation>
    </message>
    <message>
        <source>&amp;Hold Job</source>
        <translation>&amp;Retén el treball</translation>
    </message>
    <message>
        <source>Re&amp;lease Job</source>
        <translation>A&amp;llibera el treball</translation>
    </message>
    <message>
        <source>Open &amp;Log Tail</source>
        <translation>Obre el re&amp;gistre</translation>
    </message>
    <message>
        <source>&amp;Mute Notifications of This Run</source>
        <translation>&amp;Silencia les notificacions d&apos;aquesta execució</translation>
    </message>
    <message>
        <source>Keep this pending job from starting until it is released</source>
        <translation>Impedeix que aquest treball pendent comenci fins que s&apos;alliberi</translation>
    </message>
    <message>
        <source>Let this held job start</source>
        <translation>Deixa que aquest treball retingut comenci</translation>
    </message>
    <message>
        <source>Follow the job&apos;s log as it grows</source>
        <translation>Segueix el registre del treball a mesura que creix</translation>
    </message>
</context>
<context>
    <name>vigil::Language</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Vigil will use %1 when it is started again.</source>
        <translation>La propera vegada que s&apos;iniciï, Vigil farà servir: %1.</translation>
    </message>
</context>
<context>
    <name>vigil::LogTailDialog</name>
    <message>
        <source>Log of %1 (job %2 on %3)</source>
        <translation>Registre de %1 (treball %2 a %3)</translation>
    </message>
</context>
<context>
    <name>vigil::LogTailView</name>
    <message>
        <source>Job %1 is not a task of a run: it has no log Vigil knows of.</source>
        <translation>El treball %1 no és una tasca de cap execució: no té cap registre que Vigil conegui.</translation>
    </message>
    <message>
        <source>Vigil is shutting down</source>
        <translation>Vigil s&apos;està tancant</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Llegint %1…</translation>
    </message>
    <message>
        <source>Waiting for %1 to be written…</source>
        <translation>Esperant que s&apos;escrigui %1…</translation>
    </message>
    <message>
        <source>%1: %2 bytes</source>
        <translation>%1: %2 bytes</translation>
    </message>
</context>
<context>
    <name>vigil::MainWindow</name>
    <message>
        <source>Vigil</source>
        <translation>Vigil</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Llocs</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Safata d&apos;entrada</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Treballs</translation>
    </message>
    <message>
        <source>Issues</source>
        <translation>Problemes</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fitxer</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Surt</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visualitza</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualitza</translation>
    </message>
    <message>
        <source>Ask every site for fresh data now (%1)</source>
        <translation>Demana ara dades noves a tots els llocs (%1)</translation>
    </message>
    <message>
        <source>&amp;Review Next Checkpoint</source>
        <translation>&amp;Revisa el punt de control següent</translation>
    </message>
    <message>
        <source>Review the selected or newest pending checkpoint (%1)</source>
        <translation>Revisa el punt de control pendent seleccionat o el més recent (%1)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>&amp;About Vigil</source>
        <translation>&amp;Quant a Vigil</translation>
    </message>
    <message>
        <source>About Vigil</source>
        <translation>Quant a Vigil</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;Supervise AI workflows on HPC clusters, SSH hosts and this computer: follow jobs, and answer the questions they ask.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;Superviseu fluxos de treball d&apos;IA en clústers HPC, màquines SSH i aquest ordinador: seguiu els treballs i responeu les preguntes que fan.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Quant a &amp;Qt</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Execució:</translation>
    </message>
    <message>
        <source>The run the workflow view shows</source>
        <translation>L&apos;execució que mostra la vista del flux</translation>
    </message>
    <message>
        <source>%1 — Vigil</source>
        <translation>%1 — Vigil</translation>
    </message>
    <message>
        <source>No checkpoint is waiting.</source>
        <translation>No hi ha cap punt de control pendent.</translation>
    </message>
    <message>
        <source>Inbox (%1)</source>
        <translation>Safata d&apos;entrada (%1)</translation>
    </message>
    <message>
        <source>Issues (%1)</source>
        <translation>Problemes (%1)</translation>
    </message>
    <message>
        <source>Jobs (%1)</source>
        <translation>Treballs (%1)</translation>
    </message>
    <message>
        <source>Checkpoints waiting: %1</source>
        <translation>Punts de control pendents: %1</translation>
    </message>
    <message>
        <source>No checkpoint waiting</source>
        <translation>Cap punt de control pendent</translation>
    </message>
    <message>
        <source>Vigil: %1</source>
        <translation>Vigil: %1</translation>
    </message>
    <message>
        <source>(no run)</source>
        <translation>(cap execució)</translation>
    </message>
    <message>
        <source>Newest (%1)</source>
        <translation>La més recent (%1)</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancel·la el treball</translation>
    </message>
    <message>
        <source>Cancel job %1 on %2? Its work since the last checkpoint is lost.</source>
        <translation>Voleu cancel·lar el treball %1 a %2? Es perd el que ha calculat des de l’últim punt de control.</translation>
    </message>
    <message>
        <source>Cancelled job %1 on %2</source>
        <translation>S’ha cancel·lat el treball %1 a %2</translation>
    </message>
    <message>
        <source>Could not cancel job %1: %2</source>
        <translation>No s’ha pogut cancel·lar el treball %1: %2</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Execucions</translation>
    </message>
    <message>
        <source>Following run %1: its engine runs in this window</source>
        <translation>Seguint l&apos;execució %1: el seu motor funciona en aquesta finestra</translation>
    </message>
    <message>
        <source>Run %1 is no longer followed here</source>
        <translation>L&apos;execució %1 ja no se segueix aquí</translation>
    </message>
    <message>
        <source>&amp;New Workflow…</source>
        <translation>&amp;Nou flux de treball…</translation>
    </message>
    <message>
        <source>&amp;Edit Workflow…</source>
        <translation>&amp;Edita el flux de treball…</translation>
    </message>
    <message>
        <source>Open the workflow shown in the editor (%1)</source>
        <translation>Obre a l&apos;editor el flux de treball que es mostra (%1)</translation>
    </message>
    <message>
        <source>&amp;Sites</source>
        <translation>&amp;Llocs</translation>
    </message>
    <message>
        <source>&amp;Add Site…</source>
        <translation>&amp;Afegeix un lloc…</translation>
    </message>
    <message>
        <source>Add a SLURM cluster, an SSH host or this computer (%1)</source>
        <translation>Afegeix un clúster SLURM, una màquina SSH o aquest ordinador (%1)</translation>
    </message>
    <message>
        <source>Added site %1: connecting…</source>
        <translation>S&apos;ha afegit el lloc %1: connectant…</translation>
    </message>
    <message>
        <source>Runs (%1)</source>
        <translation>Execucions (%1)</translation>
    </message>
    <message numerus="yes">
        <source>Stopping the engines of %n followed run(s)…</source>
        <translation>
            <numerusform>S&apos;està aturant el motor de %n execució seguida…</numerusform>
            <numerusform>S&apos;estan aturant els motors de %n execucions seguides…</numerusform>
        </translation>
    </message>
    <message>
        <source>Held job %1 on %2</source>
        <translation>S&apos;ha retingut el treball %1 a %2</translation>
    </message>
    <message>
        <source>Could not hold job %1: %2</source>
        <translation>No s&apos;ha pogut retenir el treball %1: %2</translation>
    </message>
    <message>
        <source>Released job %1 on %2</source>
        <translation>S&apos;ha alliberat el treball %1 a %2</translation>
    </message>
    <message>
        <source>Could not release job %1: %2</source>
        <translation>No s&apos;ha pogut alliberar el treball %1: %2</translation>
    </message>
    <message>
        <source>Checkpoint %1 no longer waits for a decision</source>
        <translation>El punt de control %1 ja no espera cap decisió</translation>
    </message>
    <message>
        <source>approved from a desktop notification</source>
        <translation>aprovat des d&apos;una notificació de l&apos;escriptori</translation>
    </message>
    <message>
        <source>Could not decide %1: %2</source>
        <translation>No s&apos;ha pogut decidir %1: %2</translation>
    </message>
    <message>
        <source>%1 decided %2 first (option %3)</source>
        <translation>%1 va decidir %2 abans (opció %3)</translation>
    </message>
    <message>
        <source>Decided %1 on %2</source>
        <translation>S&apos;ha decidit %1 a %2</translation>
    </message>
    <message>
        <source>Run %1 is in a review bundle, read-only: it cannot be followed</source>
        <translation>L&apos;execució %1 és en un paquet de revisió, només de lectura: no es pot seguir</translation>
    </message>
    <message>
        <source>E&amp;xport Run…</source>
        <translation>E&amp;xporta l&apos;execució…</translation>
    </message>
    <message>
        <source>Write the run selected in the Runs dock as a review bundle</source>
        <translation>Escriu l&apos;execució seleccionada al panell Execucions com a paquet de revisió</translation>
    </message>
    <message>
        <source>&amp;Open Review Bundle…</source>
        <translation>&amp;Obre un paquet de revisió…</translation>
    </message>
    <message>
        <source>bundle %1 (read-only) — Vigil</source>
        <translation>paquet %1 (només lectura) — Vigil</translation>
    </message>
    <message>
        <source>&amp;Phone Notifications…</source>
        <translation>Notificacions al &amp;telèfon…</translation>
    </message>
    <message>
        <source>Post checkpoints to ntfy, Slack or Mattermost when they arrive, near their deadline or are decided</source>
        <translation>Publica els punts de control a ntfy, Slack o Mattermost quan arriben, quan se n&apos;acosta el termini o quan es decideixen</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsChart</name>
    <message>
        <source>row</source>
        <translation>fila</translation>
    </message>
    <message>
        <source>%1: no numeric columns</source>
        <translation>%1: cap columna numèrica</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>NaN/Inf</source>
        <translation>NaN/Inf</translation>
    </message>
    <message>
        <source>wall time (%1)</source>
        <translation>hora real (%1)</translation>
    </message>
    <message>
        <source>%1 is %2 at %3</source>
        <translation>%1 és %2 a %3</translation>
    </message>
    <message numerus="yes">
        <source>%n point(s) at or below 0 left out of the log scale</source>
        <translation>
            <numerusform>%n punt igual o inferior a 0 queda fora de l&apos;escala logarítmica</numerusform>
            <numerusform>%n punts iguals o inferiors a 0 queden fora de l&apos;escala logarítmica</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsCompare</name>
    <message>
        <source>Compare runs</source>
        <translation>Compara execucions</translation>
    </message>
    <message>
        <source>No other runs of this workflow are known</source>
        <translation>No es coneixen altres execucions d&apos;aquest flux de treball</translation>
    </message>
    <message>
        <source>Draw %1 of run %2 over this one</source>
        <translation>Dibuixa %1 de l&apos;execució %2 sobre aquesta</translation>
    </message>
    <message>
        <source>Draw the same file of other runs of this workflow</source>
        <translation>Dibuixa el mateix fitxer d&apos;altres execucions d&apos;aquest flux de treball</translation>
    </message>
    <message>
        <source>no %1</source>
        <translation>no hi ha %1</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>no es pot llegir %1: %2</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsFeed</name>
    <message>
        <source>Waiting for %1 to be written…</source>
        <translation>Esperant que s&apos;escrigui %1…</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No s&apos;ha pogut llegir %1: %2</translation>
    </message>
    <message>
        <source>%1 grew past %2 bytes, the most shown: the chart stops here</source>
        <translation>%1 ha superat els %2 bytes, el màxim que es mostra: el gràfic s&apos;atura aquí</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsPanel</name>
    <message>
        <source>Exponential moving average, debiased at the start</source>
        <translation>Mitjana mòbil exponencial, amb correcció del biaix al principi</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Escala logarítmica</translation>
    </message>
    <message>
        <source>By step</source>
        <translation>Per pas</translation>
    </message>
    <message>
        <source>By wall time</source>
        <translation>Per hora real</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajusta</translation>
    </message>
    <message>
        <source>Show every point (Home)</source>
        <translation>Mostra tots els punts (Inici)</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>Suavitzat</translation>
    </message>
</context>
<context>
    <name>vigil::Notifier</name>
    <message>
        <source>Checkpoints waiting: %1</source>
        <translation>Punts de control pendents: %1</translation>
    </message>
    <message>
        <source>Run %1, task %2 on %3 is waiting for a decision.</source>
        <translation>L&apos;execució %1, tasca %2 a %3, espera una decisió.</translation>
    </message>
    <message>
        <source>Approve: %1</source>
        <translation>Aprova: %1</translation>
    </message>
    <message>
        <source>Checkpoint %1</source>
        <translation>Punt de control %1</translation>
    </message>
    <message>
        <source>Decision due in %1: %2</source>
        <translation>La decisió venç d&apos;aquí a %1: %2</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Obre</translation>
    </message>
    <message>
        <source>Open Inbox</source>
        <translation>Obre la safata d&apos;entrada</translation>
    </message>
</context>
<context>
    <name>vigil::OperationsBar</name>
    <message>
        <source>Cancel</source>
        <translation>Cancel·la</translation>
    </message>
    <message>
        <source>%p %</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>Cancel this operation</source>
        <translation>Cancel·la aquesta operació</translation>
    </message>
    <message>
        <source>Cancelling: %1</source>
        <translation>Cancel·lant: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more)</source>
        <translation>
            <numerusform>%1 (i %n més)</numerusform>
            <numerusform>%1 (i %n més)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vigil::OperationsModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1, run %2</source>
        <translation>%1, execució %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>vigil::ParamForm</name>
    <message>
        <source>Parameter %1 (%2)%3</source>
        <translation>Paràmetre %1 (%2)%3</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>de %1 a %2</translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation>com a mínim %1</translation>
    </message>
    <message>
        <source>at most %1</source>
        <translation>com a màxim %1</translation>
    </message>
</context>
<context>
    <name>vigil::RevisionDialog</name>
    <message>
        <source>Revision %1 of run %2</source>
        <translation>Revisió %1 de l&apos;execució %2</translation>
    </message>
    <message>
        <source>Published, the engine following run %1 takes this change at its next cycle; the running jobs are not touched.</source>
        <translation>Un cop publicat, el motor que segueix l&apos;execució %1 aplica aquest canvi al cicle següent; els treballs en execució no es toquen.</translation>
    </message>
    <message>
        <source>This change cannot be made to run %1 now:</source>
        <translation>Aquest canvi no es pot fer ara a l&apos;execució %1:</translation>
    </message>
    <message>
        <source>Why (kept with the revision)</source>
        <translation>Per què (es desa amb la revisió)</translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation>&amp;Comentari:</translation>
    </message>
    <message>
        <source>&amp;Publish Revision %1</source>
        <translation>&amp;Publica la revisió %1</translation>
    </message>
</context>
<context>
    <name>vigil::RunsModel</name>
    <message>
        <source>not followed</source>
        <translation>sense seguir</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>iniciant…</translation>
    </message>
    <message>
        <source>running here</source>
        <translation>en execució aquí</translation>
    </message>
    <message>
        <source>observing</source>
        <translation>observant</translation>
    </message>
    <message>
        <source>observing · %1 acts</source>
        <translation>observant · actua %1</translation>
    </message>
    <message>
        <source>cannot follow · again %1</source>
        <translation>no es pot seguir · es reintenta %1</translation>
    </message>
    <message>
        <source>ended · %1</source>
        <translation>acabat · %1</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>aturant…</translation>
    </message>
    <message>
        <source>This desktop does not run the engine of this run. Follow it to have gates, cross-site steps and run-time changes handled while the window is open.</source>
        <translation>Aquest escriptori no executa el motor d&apos;aquesta execució. Seguiu-la perquè les decisions humanes, els passos entre llocs i els canvis durant l&apos;execució s&apos;atenguin mentre la finestra estigui oberta.</translation>
    </message>
    <message>
        <source>Followed since %1.</source>
        <translation>Seguida des de %1.</translation>
    </message>
    <message>
        <source>Lease held by %1.</source>
        <translation>La concessió la té %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n en execució</numerusform>
            <numerusform>%n en execució</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n done</source>
        <translation>
            <numerusform>%n acabada</numerusform>
            <numerusform>%n acabades</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fallida</numerusform>
            <numerusform>%n fallides</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pendent</numerusform>
            <numerusform>%n pendents</numerusform>
        </translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execució</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>Flux de treball</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Llocs</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Creada</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tasques</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>Punts de control</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motor</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>només lectura</translation>
    </message>
    <message>
        <source>The run as the review bundle %1 holds it: it is read, never followed.</source>
        <translation>L&apos;execució tal com la desa el paquet de revisió %1: es llegeix, mai no se segueix.</translation>
    </message>
    <message>
        <source>Run %1 of the review bundle %2 (read-only)</source>
        <translation>Execució %1 del paquet de revisió %2 (només lectura)</translation>
    </message>
</context>
<context>
    <name>vigil::RunsPanel</name>
    <message>
        <source>&amp;Follow Run</source>
        <translation>&amp;Segueix l&apos;execució</translation>
    </message>
    <message>
        <source>&amp;Stop Following</source>
        <translation>&amp;Deixa de seguir</translation>
    </message>
    <message>
        <source>Show in &amp;Workflow</source>
        <translation>Mostra al &amp;flux</translation>
    </message>
    <message>
        <source>&amp;Change Run…</source>
        <translation>&amp;Canvia l&apos;execució…</translation>
    </message>
    <message>
        <source>&amp;Mute Notifications</source>
        <translation>Si&amp;lencia les notificacions</translation>
    </message>
    <message>
        <source>Run this run&apos;s engine in this window: gates, cross-site steps and run-time changes are handled while it is open, and again after a restart</source>
        <translation>Executa en aquesta finestra el motor d&apos;aquesta execució: les decisions humanes, els passos entre llocs i els canvis durant l&apos;execució s&apos;atenen mentre estigui oberta, i de nou després de reiniciar</translation>
    </message>
    <message>
        <source>No desktop notification or reminder for this run&apos;s checkpoints; they still arrive in the inbox</source>
        <translation>Cap notificació de l&apos;escriptori ni recordatori per als punts de control d&apos;aquesta execució; continuen arribant a la safata d&apos;entrada</translation>
    </message>
    <message>
        <source>Edit the run&apos;s workflow while it runs: add a task, change one not started yet, skip one; published as the run&apos;s next revision</source>
        <translation>Edita el flux de treball de l&apos;execució mentre s&apos;executa: afegeix una tasca, canvia&apos;n una que encara no ha començat, omet-ne una; es publica com la revisió següent de l&apos;execució</translation>
    </message>
</context>
<context>
    <name>vigil::SitesModel</name>
    <message>
        <source>Disconnected</source>
        <translation>Desconnectat</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connectant…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connectat</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>SLURM</source>
        <translation>SLURM</translation>
    </message>
    <message>
        <source>SSH host</source>
        <translation>Màquina SSH</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Aquest ordinador</translation>
    </message>
    <message>
        <source>never</source>
        <translation>mai</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No data has arrived from this site yet</source>
        <translation>Encara no han arribat dades d&apos;aquest lloc</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipus</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexió</translation>
    </message>
    <message>
        <source>Data age</source>
        <translation>Antiguitat</translation>
    </message>
    <message>
        <source>Helper</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>Active jobs</source>
        <translation>Treballs actius</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pendents</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Darrer error</translation>
    </message>
    <message>
        <source>Scheduler: %1 (every %2 s)
Run directories: %3 (%4)</source>
        <translation>Planificador: %1 (cada %2 s)
Directoris d&apos;execució: %3 (%4)</translation>
    </message>
    <message>
        <source>streamed by vigil-job watch</source>
        <translation>transmesos per vigil-job watch</translation>
    </message>
    <message>
        <source>scanned every cycle</source>
        <translation>explorats a cada cicle</translation>
    </message>
    <message>
        <source>%1 · live</source>
        <translation>%1 · en directe</translation>
    </message>
    <message>
        <source>none · SFTP polling</source>
        <translation>cap · sondeig SFTP</translation>
    </message>
    <message>
        <source>read over SFTP every cycle</source>
        <translation>llegits per SFTP a cada cicle</translation>
    </message>
    <message>
        <source>vigil-job cannot run on this site (%1): the run directories are read over SFTP every cycle, and vigil-job is tried again every few minutes</source>
        <translation>vigil-job no es pot executar en aquest lloc (%1): els directoris d&apos;execució es llegeixen per SFTP a cada cicle i vigil-job es torna a provar cada pocs minuts</translation>
    </message>
</context>
<context>
    <name>vigil::TaskNodeItem</name>
    <message>
        <source>Task %1 on %2</source>
        <translation>Tasca %1 a %2</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>Estat: %1</translation>
    </message>
    <message>
        <source>Job: %1</source>
        <translation>Treball: %1</translation>
    </message>
    <message>
        <source>Checkpoints waiting: %1 (double-click to review)</source>
        <translation>Punts de control pendents: %1 (doble clic per revisar-los)</translation>
    </message>
    <message>
        <source>Gate %1</source>
        <translation>Decisió %1</translation>
    </message>
    <message>
        <source>Ran for %1</source>
        <translation>S&apos;ha executat durant %1</translation>
    </message>
    <message>
        <source>Time left: %1</source>
        <translation>Temps restant: %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>queden %1</translation>
    </message>
</context>
<context>
    <name>vigil::TaskProperties</name>
    <message>
        <source>environment, line %1: expected NAME=VALUE</source>
        <translation>entorn, línia %1: s&apos;esperava NOM=VALOR</translation>
    </message>
    <message>
        <source>options, line %1: expected NAME: +enabled -skipped</source>
        <translation>opcions, línia %1: s&apos;esperava NOM: +activades -omeses</translation>
    </message>
    <message>
        <source>options, line %1: &quot;%2&quot;: write +TASK to enable a task, -TASK to skip one</source>
        <translation>opcions, línia %1: «%2»: escriviu +TASCA per activar una tasca, -TASCA per ometre-la</translation>
    </message>
    <message>
        <source>params, line %1: expected NAME TYPE DEFAULT</source>
        <translation>paràmetres, línia %1: s&apos;esperava NOM TIPUS PREDETERMINAT</translation>
    </message>
    <message>
        <source>params, line %1: type &quot;%2&quot;: number, integer, string, boolean or enum</source>
        <translation>paràmetres, línia %1: tipus «%2»: number, integer, string, boolean o enum</translation>
    </message>
    <message>
        <source>params, line %1: an enum needs its choices: NAME enum DEFAULT a|b|c</source>
        <translation>paràmetres, línia %1: un enum necessita els seus valors: NOM enum PREDETERMINAT a|b|c</translation>
    </message>
    <message>
        <source>params, line %1: expected NAME TYPE DEFAULT [MIN MAX]</source>
        <translation>paràmetres, línia %1: s&apos;esperava NOM TIPUS PREDETERMINAT [MÍN MÀX]</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Treball</translation>
    </message>
    <message>
        <source>Human gate</source>
        <translation>Decisió humana</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom:</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Lloc:</translation>
    </message>
    <message>
        <source>&amp;Command:</source>
        <translation>&amp;Ordre:</translation>
    </message>
    <message>
        <source>The program and its arguments, quoted as in a shell: python3 train.py --lr 0.1</source>
        <translation>El programa i els seus arguments, entre cometes com en un shell: python3 train.py --lr 0.1</translation>
    </message>
    <message>
        <source>&amp;Working directory:</source>
        <translation>&amp;Directori de treball:</translation>
    </message>
    <message>
        <source>Absolute, or relative to the run directory; empty: the run directory</source>
        <translation>Absolut, o relatiu al directori de l&apos;execució; buit: el directori de l&apos;execució</translation>
    </message>
    <message>
        <source>Container &amp;image:</source>
        <translation>&amp;Imatge del contenidor:</translation>
    </message>
    <message>
        <source>Run in a container of this image; empty: no container</source>
        <translation>Executa en un contenidor d&apos;aquesta imatge; buit: sense contenidor</translation>
    </message>
    <message>
        <source>(the site&apos;s)</source>
        <translation>(el del lloc)</translation>
    </message>
    <message>
        <source>Container &amp;runtime:</source>
        <translation>Entorn d&apos;execució del &amp;contenidor:</translation>
    </message>
    <message>
        <source>&amp;Time limit:</source>
        <translation>&amp;Límit de temps:</translation>
    </message>
    <message>
        <source>SLURM&apos;s format: 01:00:00, 2-00:00:00</source>
        <translation>Format d&apos;SLURM: 01:00:00, 2-00:00:00</translation>
    </message>
    <message>
        <source>default</source>
        <translation>per defecte</translation>
    </message>
    <message>
        <source>CP&amp;Us:</source>
        <translation>CP&amp;U:</translation>
    </message>
    <message>
        <source>&amp;GPUs:</source>
        <translation>&amp;GPU:</translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation>&amp;Memòria:</translation>
    </message>
    <message>
        <source>4G, 500M</source>
        <translation>4G, 500M</translation>
    </message>
    <message>
        <source>N&amp;odes:</source>
        <translation>N&amp;odes:</translation>
    </message>
    <message>
        <source>&amp;Partition:</source>
        <translation>&amp;Partició:</translation>
    </message>
    <message>
        <source>&amp;Retries:</source>
        <translation>&amp;Reintents:</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>&amp;Entorn:</translation>
    </message>
    <message>
        <source>One NAME=VALUE a line</source>
        <translation>Un NOM=VALOR per línia</translation>
    </message>
    <message>
        <source>Check&amp;points:</source>
        <translation>&amp;Punts de control:</translation>
    </message>
    <message>
        <source>The checkpoints the job will post, one &quot;id: title&quot; a line</source>
        <translation>Els punts de control que publicarà el treball, un «id: títol» per línia</translation>
    </message>
    <message>
        <source>&amp;Question:</source>
        <translation>Pre&amp;gunta:</translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation>&amp;Cos:</translation>
    </message>
    <message>
        <source>Markdown shown to the reviewer</source>
        <translation>Markdown que es mostra a qui revisa</translation>
    </message>
    <message>
        <source>&amp;Options:</source>
        <translation>&amp;Opcions:</translation>
    </message>
    <message>
        <source>One option a line: NAME: +TASK (enabled by it) -TASK (skipped by it)</source>
        <translation>Una opció per línia: NOM: +TASCA (l&apos;activa) -TASCA (l&apos;omet)</translation>
    </message>
    <message>
        <source>P&amp;arams:</source>
        <translation>P&amp;aràmetres:</translation>
    </message>
    <message>
        <source>One a line: NAME TYPE DEFAULT [MIN MAX], or NAME enum DEFAULT a|b|c</source>
        <translation>Un per línia: NOM TIPUS PREDETERMINAT [MÍN MÀX], o NOM enum PREDETERMINAT a|b|c</translation>
    </message>
    <message>
        <source>&amp;Approvers:</source>
        <translation>&amp;Aprovadors:</translation>
    </message>
    <message>
        <source>User names, separated by commas; empty: the workflow&apos;s</source>
        <translation>Noms d&apos;usuari, separats per comes; buit: els del flux de treball</translation>
    </message>
    <message>
        <source>&amp;Deadline:</source>
        <translation>&amp;Termini:</translation>
    </message>
    <message>
        <source>30m, 2h, 1d12h; empty: none</source>
        <translation>30m, 2h, 1d12h; buit: sense termini</translation>
    </message>
    <message>
        <source>De&amp;fault:</source>
        <translation>Per de&amp;fecte:</translation>
    </message>
    <message>
        <source>No task selected</source>
        <translation>Cap tasca seleccionada</translation>
    </message>
    <message>
        <source>Gate %1</source>
        <translation>Decisió %1</translation>
    </message>
    <message>
        <source>Task %1</source>
        <translation>Tasca %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(cap)</translation>
    </message>
    <message>
        <source>(the first option)</source>
        <translation>(la primera opció)</translation>
    </message>
    <message>
        <source>Problems:</source>
        <translation>Problemes:</translation>
    </message>
    <message>
        <source>command: %1</source>
        <translation>ordre: %1</translation>
    </message>
    <message>
        <source>deadline: %1</source>
        <translation>termini: %1</translation>
    </message>
</context>
<context>
    <name>vigil::Webhook</name>
    <message>
        <source>Checkpoint waiting: %1</source>
        <translation>Punt de control en espera: %1</translation>
    </message>
    <message>
        <source>%1 left to decide: %2</source>
        <translation>Queden %1 per decidir: %2</translation>
    </message>
    <message>
        <source>Decided: %1</source>
        <translation>Decidit: %1</translation>
    </message>
    <message>
        <source>Vigil test message</source>
        <translation>Missatge de prova de Vigil</translation>
    </message>
    <message>
        <source>Phone notifications from Vigil reach this place.</source>
        <translation>Les notificacions de Vigil al telèfon arriben aquí.</translation>
    </message>
    <message>
        <source>Site %1, run %2, checkpoint %3</source>
        <translation>Lloc %1, execució %2, punt de control %3</translation>
    </message>
    <message>
        <source>Default &quot;%1&quot; taken at the deadline</source>
        <translation>Opció per defecte «%1» aplicada en vèncer el termini</translation>
    </message>
    <message>
        <source>Decided by %1: %2</source>
        <translation>Decidit per %1: %2</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (per defecte)</translation>
    </message>
    <message>
        <source>Options: %1</source>
        <translation>Opcions: %1</translation>
    </message>
    <message>
        <source>Deadline: %1 (%2)</source>
        <translation>Termini: %1 (%2)</translation>
    </message>
</context>
<context>
    <name>vigil::WebhooksDialog</name>
    <message>
        <source>A checkpoint arrives</source>
        <translation>Arriba un punt de control</translation>
    </message>
    <message>
        <source>Its deadline nears</source>
        <translation>S&apos;acosta el seu termini</translation>
    </message>
    <message>
        <source>It is decided</source>
        <translation>Es decideix</translation>
    </message>
    <message>
        <source>Send Test</source>
        <translation>Envia una prova</translation>
    </message>
    <message>
        <source>Phone Notifications</source>
        <translation>Notificacions al telèfon</translation>
    </message>
    <message>
        <source>ntfy</source>
        <translation>ntfy</translation>
    </message>
    <message>
        <source>Slack / Mattermost</source>
        <translation>Slack / Mattermost</translation>
    </message>
    <message>
        <source>1 (min)</source>
        <translation>1 (mínima)</translation>
    </message>
    <message>
        <source>2 (low)</source>
        <translation>2 (baixa)</translation>
    </message>
    <message>
        <source>3 (default)</source>
        <translation>3 (per defecte)</translation>
    </message>
    <message>
        <source>4 (high)</source>
        <translation>4 (alta)</translation>
    </message>
    <message>
        <source>5 (max)</source>
        <translation>5 (màxima)</translation>
    </message>
    <message>
        <source>optional: https://…/{site}/{run}/{checkpoint}</source>
        <translation>opcional: https://…/{site}/{run}/{checkpoint}</translation>
    </message>
    <message>
        <source>every site (or: mn5, edge)</source>
        <translation>tots els llocs (o: mn5, edge)</translation>
    </message>
    <message>
        <source>every run</source>
        <translation>totes les execucions</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Afegeix</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Treu</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Tipus:</translation>
    </message>
    <message>
        <source>Webhook URL:</source>
        <translation>URL del webhook:</translation>
    </message>
    <message>
        <source>Access token:</source>
        <translation>Testimoni d&apos;accés:</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Prioritat:</translation>
    </message>
    <message>
        <source>Open on tap:</source>
        <translation>Obre en tocar:</translation>
    </message>
    <message>
        <source>Notify when:</source>
        <translation>Avisa quan:</translation>
    </message>
    <message>
        <source>Sites:</source>
        <translation>Llocs:</translation>
    </message>
    <message>
        <source>Runs:</source>
        <translation>Execucions:</translation>
    </message>
    <message>
        <source>paste the ntfy topic URL, e.g. https://ntfy.sh/your-topic</source>
        <translation>enganxeu la URL del tema de ntfy, p. ex. https://ntfy.sh/el-vostre-tema</translation>
    </message>
    <message>
        <source>paste the incoming-webhook URL (kept in the system keyring)</source>
        <translation>enganxeu la URL del webhook d&apos;entrada (es desa al clauer del sistema)</translation>
    </message>
    <message>
        <source>optional; a stored token is kept unless you type a new one</source>
        <translation>opcional; el testimoni desat es conserva si no n&apos;escriviu un de nou</translation>
    </message>
    <message>
        <source>phone%1</source>
        <translation>telefon%1</translation>
    </message>
    <message>
        <source>Webhook &quot;%1&quot;: %2</source>
        <translation>Webhook «%1»: %2</translation>
    </message>
    <message>
        <source>Two webhooks are named &quot;%1&quot;.</source>
        <translation>Hi ha dos webhooks anomenats «%1».</translation>
    </message>
    <message>
        <source>Reading the stored secret…</source>
        <translation>Llegint el secret desat…</translation>
    </message>
    <message>
        <source>paste the webhook URL first</source>
        <translation>primer enganxeu la URL del webhook</translation>
    </message>
    <message>
        <source>Test not sent: %1</source>
        <translation>Prova no enviada: %1</translation>
    </message>
    <message>
        <source>Sending a test message to %1…</source>
        <translation>Enviant un missatge de prova a %1…</translation>
    </message>
    <message>
        <source>Test message sent to %1 (HTTP %2).</source>
        <translation>Missatge de prova enviat a %1 (HTTP %2).</translation>
    </message>
    <message>
        <source>Test message to %1 failed: %2</source>
        <translation>El missatge de prova a %1 ha fallat: %2</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Desant…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No desat: %1</translation>
    </message>
    <message>
        <source>no secret store</source>
        <translation>no hi ha magatzem de secrets</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n webhook(s); secrets are in the system keyring.</source>
        <translation>
            <numerusform>Desat %n webhook; els secrets són al clauer del sistema.</numerusform>
            <numerusform>Desats %n webhooks; els secrets són al clauer del sistema.</numerusform>
        </translation>
    </message>
    <message>
        <source>Clear Token</source>
        <translation>Esborra el testimoni</translation>
    </message>
    <message>
        <source>Remove the stored access token from the system keyring on Save</source>
        <translation>Treu el testimoni d&apos;accés desat del clauer del sistema en desar</translation>
    </message>
    <message>
        <source>the stored token is removed when you save</source>
        <translation>el testimoni desat es treu en desar</translation>
    </message>
    <message>
        <source>The access token of &quot;%1&quot; is removed from the system keyring when you save.</source>
        <translation>El testimoni d&apos;accés de «%1» es treu del clauer del sistema en desar.</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowDocument</name>
    <message>
        <source>Go on?</source>
        <translation>Continuem?</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>Afegeix %1</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>Suprimeix %1</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n task(s)</source>
        <translation>
            <numerusform>Suprimeix %n tasca</numerusform>
            <numerusform>Suprimeix %n tasques</numerusform>
        </translation>
    </message>
    <message>
        <source>there is no task %1</source>
        <translation>no hi ha cap tasca %1</translation>
    </message>
    <message>
        <source>a task is renamed with renameTask</source>
        <translation>una tasca es canvia de nom amb renameTask</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Edita %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a task name: use letters, digits, &apos;_&apos;, &apos;-&apos; and &apos;.&apos; (64 at most), not starting with &apos;-&apos; or &apos;.&apos;</source>
        <translation>«%1» no és un nom de tasca: feu servir lletres, xifres, &apos;_&apos;, &apos;-&apos; i &apos;.&apos; (64 com a màxim), sense començar per &apos;-&apos; ni &apos;.&apos;</translation>
    </message>
    <message>
        <source>a task named %1 exists already</source>
        <translation>ja existeix una tasca anomenada %1</translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>Canvia el nom de %1 a %2</translation>
    </message>
    <message>
        <source>Move %1</source>
        <translation>Mou %1</translation>
    </message>
    <message numerus="yes">
        <source>Move %n task(s)</source>
        <translation>
            <numerusform>Mou %n tasca</numerusform>
            <numerusform>Mou %n tasques</numerusform>
        </translation>
    </message>
    <message>
        <source>both ends must be tasks</source>
        <translation>els dos extrems han de ser tasques</translation>
    </message>
    <message>
        <source>a task cannot run after itself</source>
        <translation>una tasca no es pot executar després d&apos;ella mateixa</translation>
    </message>
    <message>
        <source>%1 already runs before %2: this would make a cycle</source>
        <translation>%1 ja s&apos;executa abans que %2: això crearia un cicle</translation>
    </message>
    <message>
        <source>Connect %1 → %2</source>
        <translation>Connecta %1 → %2</translation>
    </message>
    <message>
        <source>Disconnect %1 → %2</source>
        <translation>Desconnecta %1 → %2</translation>
    </message>
    <message>
        <source>the clipboard holds no task</source>
        <translation>el porta-retalls no conté cap tasca</translation>
    </message>
    <message numerus="yes">
        <source>Paste %n task(s)</source>
        <translation>
            <numerusform>Enganxa %n tasca</numerusform>
            <numerusform>Enganxa %n tasques</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowEditor</name>
    <message>
        <source>SLURM job</source>
        <translation>Treball SLURM</translation>
    </message>
    <message>
        <source>A batch job on a SLURM site</source>
        <translation>Un treball per lots en un lloc SLURM</translation>
    </message>
    <message>
        <source>SSH job</source>
        <translation>Treball SSH</translation>
    </message>
    <message>
        <source>A process on an SSH host</source>
        <translation>Un procés en una màquina SSH</translation>
    </message>
    <message>
        <source>Local job</source>
        <translation>Treball local</translation>
    </message>
    <message>
        <source>A process on this computer</source>
        <translation>Un procés en aquest ordinador</translation>
    </message>
    <message>
        <source>Container job</source>
        <translation>Treball en contenidor</translation>
    </message>
    <message>
        <source>A job that runs in a container image</source>
        <translation>Un treball que s&apos;executa en una imatge de contenidor</translation>
    </message>
    <message>
        <source>Human gate</source>
        <translation>Decisió humana</translation>
    </message>
    <message>
        <source>A question for a person; its options choose the branches</source>
        <translation>Una pregunta per a una persona; les seves opcions trien les branques</translation>
    </message>
    <message>
        <source>Drag it onto the canvas, or double-click to add it</source>
        <translation>Arrossegueu-lo al llenç, o feu doble clic per afegir-lo</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Nodes</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Propietats</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemes</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fitxer</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Obre…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Desa</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>&amp;Anomena i desa…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Tanca</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edita</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Desfés</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Refés</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Re&amp;talla</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copia</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Enganxa</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Suprimeix</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>Selecciona-ho t&amp;ot</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visualitza</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Amplia</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Re&amp;dueix</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation>A&amp;justa</translation>
    </message>
    <message>
        <source>Auto &amp;Layout</source>
        <translation>Disposició a&amp;utomàtica</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>E&amp;xecució</translation>
    </message>
    <message>
        <source>&amp;Publish Revision…</source>
        <translation>&amp;Publica la revisió…</translation>
    </message>
    <message>
        <source>Show the change against the run&apos;s revision in effect, then publish it as the run&apos;s next revision</source>
        <translation>Mostra el canvi respecte a la revisió vigent de l&apos;execució i publica&apos;l com la seva revisió següent</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Editor</translation>
    </message>
    <message>
        <source>Untitled workflow</source>
        <translation>Flux de treball sense títol</translation>
    </message>
    <message>
        <source>Run %1, revision %2[*] — Vigil Workflow Editor</source>
        <translation>Execució %1, revisió %2[*] — Editor de fluxos de treball de Vigil</translation>
    </message>
    <message>
        <source>%1[*] — Vigil Workflow Editor</source>
        <translation>%1[*] — Editor de fluxos de treball de Vigil</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation>Problemes (%1)</translation>
    </message>
    <message>
        <source>Tasks without a position were laid out; saving keeps the positions</source>
        <translation>S&apos;han col·locat les tasques que no tenien posició; en desar es conserven les posicions</translation>
    </message>
    <message>
        <source>Nothing to paste: %1</source>
        <translation>Res a enganxar: %1</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n connection(s)</source>
        <translation>
            <numerusform>Suprimeix %n connexió</numerusform>
            <numerusform>Suprimeix %n connexions</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Workflow</source>
        <translation>Obre un flux de treball</translation>
    </message>
    <message>
        <source>Workflow files (*.toml);;All files (*)</source>
        <translation>Fitxers de flux de treball (*.toml);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>no es pot obrir %1: %2</translation>
    </message>
    <message>
        <source>%1 is larger than %2 bytes</source>
        <translation>%1 ocupa més de %2 bytes</translation>
    </message>
    <message>
        <source>Save Workflow</source>
        <translation>Desa el flux de treball</translation>
    </message>
    <message>
        <source>Workflow files (*.toml)</source>
        <translation>Fitxers de flux de treball (*.toml)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>S&apos;ha desat %1</translation>
    </message>
    <message>
        <source>Reading the revision in effect of run %1…</source>
        <translation>Llegint la revisió vigent de l&apos;execució %1…</translation>
    </message>
    <message>
        <source>Editing run %1 from its revision %2: Run &gt; Publish Revision shows the change</source>
        <translation>Editant l&apos;execució %1 a partir de la seva revisió %2: Execució &gt; Publica la revisió mostra el canvi</translation>
    </message>
    <message>
        <source>%1 (open the run again to edit its latest revision)</source>
        <translation>%1 (torneu a obrir l&apos;execució per editar-ne la darrera revisió)</translation>
    </message>
    <message>
        <source>Revision %1 of run %2 published</source>
        <translation>S&apos;ha publicat la revisió %1 de l&apos;execució %2</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Canvis sense desar</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>Voleu desar els canvis de %1?</translation>
    </message>
    <message>
        <source>this workflow</source>
        <translation>aquest flux de treball</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowStatus</name>
    <message>
        <source>exit %1</source>
        <translation>sortida %1</translation>
    </message>
    <message>
        <source>waiting for a decision</source>
        <translation>esperant una decisió</translation>
    </message>
    <message>
        <source>%1 (default at the deadline)</source>
        <translation>%1 (per defecte, en vèncer el termini)</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1, per %2</translation>
    </message>
    <message>
        <source>closed without a decision</source>
        <translation>tancat sense decisió</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowView</name>
    <message>
        <source>No workflow loaded</source>
        <translation>Cap flux de treball carregat</translation>
    </message>
    <message>
        <source>Start Vigil with a workflow file: vigil WORKFLOW.toml</source>
        <translation>Inicieu Vigil amb un fitxer de flux de treball: vigil WORKFLOW.toml</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>Encara no hi ha execucions</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Execució %1</translation>
    </message>
</context>
</TS>
